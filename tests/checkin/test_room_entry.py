"""Room doors: a program room as a check-in zone admits only the booked people of the
bookable session running there, on the server and in the offline scanner (one cases file),
and attendance is counted per session."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from forum.badges import service as badges
from forum.checkin import devices
from forum.program.models import BookingStatus, SessionKind
from forum.registration import service as registration

from .. import factories
from ..factories import local
from .conftest import auth, scan

CASES = json.loads((Path(__file__).with_name("room_rule_cases.json")).read_text())
VERIFY_JS = Path(__file__).resolve().parents[2] / "static" / "scanner" / "verify.js"
EVENT = "/api/v1/events/digital-bridge"


@pytest.fixture
def room_door(client, session, event, gates, organizer):
    """The cases file's room with its two published bookable sessions, made a zone."""
    room = factories.make_room(session, event, slug="workshop-room", capacity=30)
    sessions = {}
    for name, (start, end) in CASES["sessions"].items():
        minutes = (local(event, 0, end) - local(event, 0, start)).seconds // 60
        sessions[name] = factories.make_session(session, event, room=room, start=start,
                                                minutes=minutes, kind=SessionKind.WORKSHOP,
                                                bookable=True, capacity=20)
    factories.publish(session, event)
    session.commit()
    r = client.put(f"{EVENT}/rooms/workshop-room/zone", headers=organizer)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.json["zone"] == "workshop-room" and r.json["gate"]["direction"] == "entry"
    again = client.put(f"{EVENT}/rooms/workshop-room/zone", headers=organizer)
    assert again.json == r.json  # the same zone and door again
    gate = r.json["gate"]["slug"]
    _device, token = devices.issue(session, gate=devices.get_gate(session, event, gate),
                                   name="door", now=factories.NOW, actor="test")
    session.commit()
    return sessions, gate, token


def _person(session, event, sessions, case):
    participant = factories.make_participant(session, event)
    for key, status in (("booked", BookingStatus.BOOKED),
                        ("waitlisted", BookingStatus.WAITLISTED)):
        if case.get(key):
            factories.make_booking(session, sessions[case[key]], participant, status=status)
    code = badges.badge_token(session, badges.ensure_badge(session, participant,
                                                           now=factories.NOW))
    session.commit()
    return participant, code


def test_the_server_follows_every_case(client, session, event, room_door):
    sessions, gate, token = room_door
    for case in CASES["cases"]:
        _participant, code = _person(session, event, sessions, case)
        at = local(event, 0, case["at"])
        assert at < factories.NOW  # a past moment: sent as an offline scan's time
        r = scan(client, token, code, gate=gate, scanned_at=at.isoformat())
        assert r.status_code == 200, r.get_data(as_text=True)
        assert r.json["status"] == case["status"], case["name"]


def test_the_offline_scanner_follows_every_case_from_the_bundle(client, session, event,
                                                                room_door, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    sessions, gate, token = room_door
    checks = []
    for case in CASES["cases"]:
        participant, _code = _person(session, event, sessions, case)
        serial = badges.current_badge(session, participant).serial
        checks.append({"name": case["name"], "serial": serial,
                       "at": local(event, 0, case["at"]).isoformat(),
                       "allowed": case["status"] == "ok"})
    bundle = client.get("/api/v1/scanner/bundle", headers=auth(token)).json
    zone = bundle["zone"]
    # Minimal in personal data: serials only.
    assert all(set(s) == {"id", "opens_at", "ends_at", "booked"} for s in zone["sessions"])
    module = tmp_path / "verify.mjs"
    module.write_text(VERIFY_JS.read_text())
    (tmp_path / "input.json").write_text(json.dumps({"zone": zone, "checks": checks}))
    script = ("import { holdsSeat } from './verify.mjs';"
              "import { readFileSync } from 'node:fs';"
              "const { zone, checks } = JSON.parse(readFileSync('input.json', 'utf8'));"
              "console.log(JSON.stringify(checks.map("
              "(c) => [c.name, holdsSeat(zone, c.serial, new Date(c.at))])));")
    out = subprocess.run([node, "--input-type=module", "-e", script], cwd=tmp_path,
                         capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(out.stdout) == [[c["name"], c["allowed"]] for c in checks]


def test_a_door_outside_any_booking_rule_keeps_the_zone_rules(client, session, event,
                                                              room_door, badge_code, scanner):
    # The venue's main entrance is not a room: a booking plays no part there.
    _participant, code = badge_code()
    at = local(event, 0, "11:10").isoformat()
    assert scan(client, scanner("main-entrance"), code, scanned_at=at).json["status"] == "ok"


def test_attendance_counts_admitted_badges_in_the_session_window(client, session, event,
                                                                 room_door, organizer):
    sessions, gate, token = room_door
    workshop = sessions["A"]
    came, stayed_away = [_person(session, event, sessions, {"booked": "A"}) for _ in range(2)]
    _waiting = _person(session, event, sessions, {"waitlisted": "A"})
    at = local(event, 0, "11:05").isoformat()
    for _ in range(2):  # re-entry is one attendee
        assert scan(client, token, came[1], gate=gate, scanned_at=at).json["status"] == "ok"
    assert scan(client, token, _waiting[1], gate=gate,
                scanned_at=at).json["status"] == "not_allowed"
    r = client.get(f"{EVENT}/sessions/{workshop.public_id}/attendance", headers=organizer)
    assert r.status_code == 200
    assert r.json == {"session": workshop.public_id, "room": "workshop-room",
                      "zone": "workshop-room", "seats": 20, "booked": 2, "waitlisted": 1,
                      "attended": 1}
    assert stayed_away[0].status.value == "confirmed"
    assert client.get(f"{EVENT}/sessions/{workshop.public_id}/attendance").status_code == 401


def test_a_cancelled_registration_loses_the_door(client, session, event, room_door):
    sessions, gate, token = room_door
    participant, code = _person(session, event, sessions, {"booked": "A"})
    registration.cancel(session, participant, now=factories.NOW, actor="test")
    session.commit()
    r = scan(client, token, code, gate=gate, scanned_at=local(event, 0, "11:10").isoformat())
    assert r.json["status"] == "revoked"
