"""One entrance rule: the cases of entrance_rule_cases.json hold for the rule itself, for the
server's scans and bundle built from real records, and for the offline verifier (verify.js,
through node) over the bundle the server built."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from forum.badges import service as badges
from forum.checkin import devices, rule
from forum.checkin.devices import ZoneRules
from forum.checkin.models import Direction, Gate, Outcome, Zone, ZoneHours
from forum.registration import service as registration

from .. import factories
from ..factories import local
from .conftest import auth, scan

CASES = json.loads(Path(__file__).with_name("entrance_rule_cases.json").read_text())
VERIFY_JS = Path(__file__).resolve().parents[2] / "static" / "scanner" / "verify.js"
BADGE = {"category": "attendee", "head": False, "revision": 1, "revoked": False,
         "status": "confirmed"}


def _badge(case: dict) -> dict:
    return {**BADGE, **case.get("badge", {})}


def _zone_rules(event, slug: str, zone_id: int = 0) -> ZoneRules:
    spec = CASES["zones"][slug]
    hours = None
    if spec["hours"]:
        opens, closes = spec["hours"]
        hours = {event.starts_on: ((local(event, 0, opens), local(event, 0, closes)),)}
    return ZoneRules(zone_id=zone_id, slug=slug, categories=frozenset(spec["categories"]),
                     delegation_heads=spec["delegation_heads"], allows_reentry=False,
                     hours=hours)


def test_the_rule_follows_every_case(event):
    for case in CASES["cases"]:
        spec = _badge(case)
        state = rule.BadgeState(revision=spec["revision"], revoked=spec["revoked"],
                                confirmed=spec["status"] == "confirmed",
                                category=spec["category"], delegation_head=spec["head"])
        zone = _zone_rules(event, case.get("zone", "open"))
        outcome = rule.decide(case.get("scanned_revision", spec["revision"]), state, zone,
                              direction=Direction(case.get("direction", "entry")),
                              day=event.starts_on, moment=local(event, 0, case.get("at", "10:00")),
                              holds_seat=lambda _session: True)
        assert outcome == Outcome(case["status"]), case["name"]
        if not case.get("after_bundle"):
            assert rule.listed(state, zone) is case["listed"], case["name"]
        assert rule.revoked_revisions(state) == case.get("revoked_revisions", []), case["name"]


def test_an_unknown_badge_or_revision_is_invalid(event):
    zone = _zone_rules(event, "open")
    state = rule.BadgeState(revision=1, revoked=False, confirmed=True, category="attendee",
                            delegation_head=False)
    at = {"direction": Direction.ENTRY, "day": event.starts_on,
          "moment": local(event, 0, "10:00"), "holds_seat": lambda _s: True}
    assert rule.decide(2, state, zone, **at) is Outcome.INVALID
    assert rule.decide(1, None, zone, **at) is Outcome.INVALID


@pytest.fixture
def doors(session, event):
    """(zone, direction) → (gate slug, scanner token) for the cases file's zones."""
    found = {}
    for slug, spec in CASES["zones"].items():
        zone = Zone(event_id=event.id, slug=slug, names={"en": slug, "ru": slug, "kk": slug},
                    categories=spec["categories"], delegation_heads=spec["delegation_heads"],
                    allows_reentry=False)
        session.add(zone)
        session.flush()
        if spec["hours"]:
            opens, closes = spec["hours"]
            session.add(ZoneHours(zone_id=zone.id, day=event.starts_on,
                                  opens_at=local(event, 0, opens),
                                  closes_at=local(event, 0, closes)))
        for direction in Direction:
            gate = Gate(event_id=event.id, zone_id=zone.id, slug=f"{slug}-{direction.value}",
                        name=f"{slug} {direction.value}", direction=direction)
            session.add(gate)
            session.flush()
            _device, token = devices.issue(session, gate=gate, name="door", now=factories.NOW,
                                           actor="test")
            found[(slug, direction.value)] = (gate.slug, token)
    session.commit()
    return found


def _person(session, event, case: dict) -> tuple[str, str, str]:
    """The case's badge holder: (code of the scanned revision, serial, display name)."""
    spec = _badge(case)
    extra = {}
    if spec["head"]:
        delegation = factories.make_delegation(session, event, head_email="head@gov.uz")
        extra = {"email": "head@gov.uz", "delegation_code": delegation.invitation_code}
    person = factories.make_participant(session, event, category=spec["category"], **extra)
    badge = badges.ensure_badge(session, person, now=factories.NOW)
    codes = [badges.badge_token(session, badge)]
    for _ in range(1, spec["revision"]):
        badges.reissue(session, person, now=factories.NOW, actor="test", reason="lost")
        codes.append(badges.badge_token(session, badge))
    if spec["revoked"]:
        badges.revoke(session, person, now=factories.NOW, actor="test", reason="stolen")
    if spec["status"] == "cancelled":
        registration.cancel(session, person, now=factories.NOW, actor="test")
    session.commit()
    scanned = case.get("scanned_revision", spec["revision"])
    return codes[scanned - 1], badge.serial, person.display_name


def _door(case: dict) -> tuple[str, str]:
    return case.get("zone", "open"), case.get("direction", "entry")


def test_the_server_and_the_offline_scanner_follow_every_case(client, clock, session, event,
                                                               doors, tmp_path):
    people = {c["name"]: _person(session, event, c) for c in CASES["cases"]
              if not c.get("after_bundle")}
    bundles = {door: client.get("/api/v1/scanner/bundle", headers=auth(token)).json
               for door, (_gate, token) in doors.items()}
    people.update({c["name"]: _person(session, event, c) for c in CASES["cases"]
                   if c.get("after_bundle")})
    checks = []
    for case in CASES["cases"]:
        code, serial, name = people[case["name"]]
        bundle = bundles[_door(case)]
        spec = _badge(case)
        listed = bundle["participants"].get(serial)
        assert listed == ({"name": name, "category": spec["category"]}
                          if case["listed"] else None), case["name"]
        assert [r["revision"] for r in bundle["revoked"] if r["serial"] == serial] == \
            case.get("revoked_revisions", []), case["name"]
        moment = local(event, 0, case.get("at", "10:00"))
        clock.set(moment)
        gate, token = doors[_door(case)]
        r = scan(client, token, code, gate=gate)
        assert r.status_code == 200, r.get_data(as_text=True)
        assert r.json["status"] == case["status"], case["name"]
        checks.append({"name": case["name"], "door": "|".join(_door(case)), "serial": serial,
                       "revision": case.get("scanned_revision", spec["revision"]),
                       "at": moment.isoformat(),
                       "status": case.get("offline_status", case["status"])})
    clock.set(factories.NOW)

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    (tmp_path / "verify.mjs").write_text(VERIFY_JS.read_text())
    (tmp_path / "input.json").write_text(json.dumps({
        "bundles": {"|".join(door): b for door, b in bundles.items()}, "checks": checks}))
    script = ("import { decide } from './verify.mjs';"
              "import { readFileSync } from 'node:fs';"
              "const { bundles, checks } = JSON.parse(readFileSync('input.json', 'utf8'));"
              "console.log(JSON.stringify(checks.map((c) => [c.name, decide("
              "{ serial: c.serial, revision: c.revision }, bundles[c.door], new Date(c.at)"
              ").status])));")
    out = subprocess.run([node, "--input-type=module", "-e", script], cwd=tmp_path,
                         capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(out.stdout) == [[c["name"], c["status"]] for c in checks]
