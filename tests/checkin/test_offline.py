"""The offline bundle with its ETag, batch uploads, conflicts, figures, devices and the CLI."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from forum.accounts.models import Role
from forum.audit.models import AuditEntry
from forum.badges import service as badges
from forum.checkin.demo import setup_demo_zones
from forum.checkin.models import Checkin, Gate, ScannerDevice, Zone, ZoneHours
from forum.registration import service as registration

from .. import factories
from ..auth import staff_headers
from .conftest import auth, scan


def test_bundle_has_keys_revocations_rules_and_display_list(client, session, event, scanner,
                                                            badge_code):
    token = scanner("vip-lounge")
    participant, _code = badge_code("vip", first_name="Askar", last_name="Zhunusov")
    gone, _ = badge_code("vip")
    registration.cancel(session, gone, now=factories.NOW, actor="test")
    # Confirmed but never given a badge: the bundle issues it.
    later = factories.make_participant(session, event, category="speaker")
    session.commit()

    r = client.get("/api/v1/scanner/bundle", headers=auth(token))
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    body = r.json
    assert body["device"]["gate"] == "vip-lounge" and body["device"]["zone"] == "vip"
    assert body["device"]["gate_name"] == "VIP lounge"
    assert body["gates"]["main-entrance"] == {"en": "Main entrance", "ru": "Главный вход",
                                              "kk": "Басты кіреберіс"}
    assert set(body["gates"]) >= {"main-entrance", "main-exit", "vip-lounge", "press-centre"}
    assert body["device"]["zone_names"] == {"en": "VIP lounge", "ru": "VIP-зал", "kk": "VIP-зал"}
    assert set(body["keys"]) == set(badges.public_keys(session, event))
    assert all(len(base64.b64decode(v)) == 32 for v in body["keys"].values())
    badge = badges.current_badge(session, participant)
    # Named fields, and only what the guard checks: no organization, country or flags.
    assert body["participants"][badge.serial] == {"name": "Askar Zhunusov", "category": "vip"}
    assert {"serial": badges.current_badge(session, gone).serial, "revision": 1} in body["revoked"]
    assert badges.current_badge(session, gone).serial not in body["participants"]
    assert badges.current_badge(session, later).serial in body["participants"]
    zone = body["zone"]
    assert zone["slug"] == "vip" and "zones" not in body
    assert zone["categories"] == ["speaker", "vip"] and zone["delegation_heads"] is True
    assert zone["hours"] and zone["allows_reentry"] is False and zone["sessions"] is None
    # After the event's last day, on its clock.
    end = datetime.combine(event.ends_on + timedelta(days=1), time(0), ZoneInfo(event.timezone))
    assert datetime.fromisoformat(body["expires_at"]) == end


def test_bundle_lists_only_the_people_its_zone_admits(client, session, event, scanner,
                                                      badge_code):
    attendee = badges.current_badge(session, badge_code("attendee")[0]).serial
    vip = badges.current_badge(session, badge_code("vip")[0]).serial
    delegation = factories.make_delegation(session, event, head_email="head@example.kz")
    head = factories.make_participant(session, event, category="delegate",
                                      email="head@example.kz",
                                      delegation_code=delegation.invitation_code)
    member = factories.make_participant(session, event, category="delegate",
                                        delegation_code=delegation.invitation_code)
    session.commit()
    lounge = client.get("/api/v1/scanner/bundle", headers=auth(scanner("vip-lounge"))).json
    entrance = client.get("/api/v1/scanner/bundle", headers=auth(scanner())).json
    head_serial = badges.current_badge(session, head).serial
    member_serial = badges.current_badge(session, member).serial
    assert set(lounge["participants"]) == {vip, head_serial}
    assert set(entrance["participants"]) == {attendee, vip, head_serial, member_serial}


def test_every_bundle_download_is_audited_with_device_and_size(client, session, scanner,
                                                               badge_code):
    token = scanner(name="lane 7")
    badge_code()
    first = client.get("/api/v1/scanner/bundle", headers=auth(token))
    same = client.get("/api/v1/scanner/bundle",
                      headers={**auth(token), "If-None-Match": first.headers["ETag"]})
    assert same.status_code == 304 and same.headers["Cache-Control"] == "no-store"
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "scanner.bundle")
                              ).all()
    device = session.scalar(select(ScannerDevice).where(ScannerDevice.name == "lane 7"))
    # The 304 sent nothing: one download, one entry.
    assert [(e.actor, e.target_id) for e in entries] == [
        (f"scanner:{device.public_id}", device.public_id)]
    assert entries[0].data == {"gate": "main-entrance", "bytes": len(first.data),
                               "participants": 1}


def test_bundle_etag_answers_304_until_something_changes(client, session, event, scanner,
                                                         badge_code):
    token = scanner()
    badge_code()
    first = client.get("/api/v1/scanner/bundle", headers=auth(token))
    etag = first.headers["ETag"]
    same = client.get("/api/v1/scanner/bundle",
                      headers={**auth(token), "If-None-Match": etag})
    assert same.status_code == 304 and same.data == b""
    badge_code(first_name="Newcomer")
    changed = client.get("/api/v1/scanner/bundle",
                         headers={**auth(token), "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_renamed_gate_and_zone_reach_the_bundle_with_a_new_etag(client, session, event, gates,
                                                                scanner):
    token = scanner("plenary-door")
    first = client.get("/api/v1/scanner/bundle", headers=auth(token))
    assert first.json["device"]["gate_name"] == "Plenary hall door"
    assert first.json["device"]["gate_names"]["ru"] == "Вход в пленарный зал"
    assert first.json["device"]["zone_names"]["kk"] == "Пленарлық зал"
    etag = first.headers["ETag"]

    staff = staff_headers(session, Role.CHECKIN_SUPERVISOR, event=event)
    named = client.patch(f"/api/v1/events/{event.slug}/gates/plenary-door", headers=staff,
                         json={"names": {"en": "Plenary hall, north door",
                                         "ru": "Пленарный зал, северный вход"}})
    assert named.status_code == 200, named.get_data(as_text=True)
    assert named.json["name"] == "Plenary hall, north door"
    renamed = client.get("/api/v1/scanner/bundle",
                         headers={**auth(token), "If-None-Match": etag})
    assert renamed.status_code == 200 and renamed.headers["ETag"] != etag
    assert renamed.json["device"]["gate_name"] == "Plenary hall, north door"
    # Kazakh was not given: the page shows the fallback (English) rather than nothing.
    assert renamed.json["gates"]["plenary-door"] == {
        "en": "Plenary hall, north door", "ru": "Пленарный зал, северный вход",
        "kk": "Plenary hall, north door"}
    audit = session.scalar(select(AuditEntry).where(AuditEntry.action == "gate.rename"))
    assert audit.target_id == "plenary-door"

    zone = gates["plenary-door"].zone
    zone.names = {**zone.names, "ru": "Большой зал"}
    session.commit()
    again = client.get("/api/v1/scanner/bundle",
                       headers={**auth(token), "If-None-Match": renamed.headers["ETag"]})
    assert again.status_code == 200 and again.headers["ETag"] != renamed.headers["ETag"]
    assert again.json["device"]["zone_names"]["ru"] == "Большой зал"


def _offline(code: str, at, nonce=None, gate="main-entrance", **extra):
    return {"code": code, "gate": gate, "nonce": nonce or str(uuid.uuid4()),
            "scanned_at": at.isoformat(), **extra}


def test_batch_is_ordered_by_scan_time_and_idempotent(client, session, scanner, badge_code):
    token = scanner()
    _p, code = badge_code()
    now = factories.NOW
    scans = [_offline(code, now - timedelta(minutes=1)),  # later: already inside
             _offline(code, now - timedelta(minutes=5)),  # earliest: admitted
             _offline("NOT-A-BADGE", now - timedelta(minutes=3))]
    r = client.post("/api/v1/checkins/batch", json={"scans": scans}, headers=auth(token))
    assert r.status_code == 200, r.json
    results = r.json["results"]
    assert [x["nonce"] for x in results] == [s["nonce"] for s in scans]
    assert [x["status"] for x in results] == ["already_checked_in", "ok", "invalid"]
    assert results[0]["first_checkin"]["at"] == results[1]["checkin"]["scanned_at"]
    # Same device, local answer unknown: the device knew it had admitted the badge.
    assert results[0]["conflict"] is False

    again = client.post("/api/v1/checkins/batch", json={"scans": scans}, headers=auth(token))
    assert again.json == r.json
    # Half of it plus one new scan: only the new one adds a row.
    half = scans[:2] + [_offline(code, now, gate="main-entrance")]
    client.post("/api/v1/checkins/batch", json={"scans": half}, headers=auth(token))
    assert session.scalar(select(func.count()).select_from(Checkin)) == 4
    assert session.scalar(select(func.count()).select_from(Checkin)
                          .where(Checkin.offline.is_(True))) == 4


def test_badge_admitted_at_two_doors_offline_is_flagged(client, session, scanner, badge_code,
                                                        organizer):
    lane1, lane2 = scanner(name="lane 1"), scanner(name="lane 2")
    participant, code = badge_code()
    now = factories.NOW
    a = client.post("/api/v1/checkins/batch", headers=auth(lane1), json={
        "scans": [_offline(code, now - timedelta(minutes=10), local_status="ok")]}).json
    b = client.post("/api/v1/checkins/batch", headers=auth(lane2), json={
        "scans": [_offline(code, now - timedelta(minutes=8), local_status="ok")]}).json
    assert a["results"][0]["status"] == "ok"
    assert b["results"][0]["status"] == "already_checked_in"
    assert b["results"][0]["conflict"] is True
    r = client.get("/api/v1/events/digital-bridge/checkins/conflicts", headers=organizer)
    assert r.status_code == 200
    [conflict] = r.json
    assert conflict["id"] == b["results"][0]["checkin"]["id"]
    assert conflict["device"] == "lane 2"
    assert conflict["first_checkin"]["device"] == "lane 1"
    assert conflict["participant"]["display_name"] == participant.display_name


def test_batch_limits(client, scanner):
    token = scanner()
    now = factories.NOW
    r = client.post("/api/v1/checkins/batch", headers=auth(token),
                    json={"scans": [_offline("X", now)] * 501})
    assert r.status_code == 422
    r = client.post("/api/v1/checkins/batch", headers=auth(token),
                    json={"scans": [{"code": "X", "gate": "main-entrance", "nonce": "n-000001"}]})
    assert r.status_code == 422 and "scans.0.scanned_at" in r.json["errors"]
    r = client.post("/api/v1/checkins/batch", headers=auth(token),
                    json={"scans": [_offline("X", now, gate="press-centre")]})
    assert r.status_code == 403 and r.json["code"] == "gate_mismatch"


def test_stats_count_inside_admissions_and_rejections(client, session, event, scanner,
                                                      badge_code, organizer):
    entrance, exit_, vip = scanner("main-entrance"), scanner("main-exit"), scanner("vip-lounge")
    codes = [badge_code()[1] for _ in range(3)]
    for code in codes:
        assert scan(client, entrance, code).json["status"] == "ok"
    scan(client, entrance, codes[0])  # already_checked_in
    scan(client, exit_, codes[1], gate="main-exit")
    scan(client, vip, codes[2], gate="vip-lounge")  # not_allowed
    scan(client, entrance, "GARBAGE")  # invalid
    r = client.get("/api/v1/events/digital-bridge/checkins/stats", headers=organizer)
    assert r.status_code == 200, r.json
    assert r.json["inside"] == {"venue": 2, "plenary": 0, "vip": 0, "press": 0}
    assert r.json["rejections"] == {"already_checked_in": 1, "not_allowed": 1, "invalid": 1}
    assert sum(b["count"] for b in r.json["admissions"]) == 3
    assert all(b["by_zone"] == {"venue": b["count"]} for b in r.json["admissions"])
    assert r.json["admissions"][0]["start"][14:16] in {"00", "15", "30", "45"}
    assert client.get("/api/v1/events/digital-bridge/checkins/stats").status_code == 401


def test_device_api_issues_a_working_token_once(client, session, gates, organizer, badge_code):
    url = "/api/v1/events/digital-bridge/gates/plenary-door/devices"
    r = client.post(url, json={"name": "Hall door phone"}, headers=organizer)
    assert r.status_code == 201, r.json
    token = r.json["token"]
    assert r.json["device"]["gate"] == "plenary-door"
    listed = client.get(url, headers=organizer).json
    assert [d["name"] for d in listed] == ["Hall door phone"] and "token" not in listed[0]
    _p, code = badge_code()
    assert scan(client, token, code, gate="plenary-door").json["status"] == "ok"
    assert client.post(url, json={"name": "x"}).status_code == 401
    assert client.post("/api/v1/events/digital-bridge/gates/nope/devices", json={"name": "x"},
                       headers=organizer).json["code"] == "gate_not_found"


def test_scanner_token_command_prints_only_the_token(app, session, gates, badge_code):
    result = app.test_cli_runner().invoke(args=["forum", "scanner-token", "--gate", "vip-lounge"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert result.output == token + "\n" and len(token) >= 40
    _p, code = badge_code("speaker")
    assert scan(app.test_client(), token, code, gate="vip-lounge").json["status"] == "ok"


def test_demo_zones_are_idempotent(session, event, gates):
    setup_demo_zones(session, event, now=factories.NOW)
    setup_demo_zones(session, event, now=factories.NOW + timedelta(days=1))
    session.commit()
    assert sorted(session.scalars(select(Gate.slug))) == [
        "main-entrance", "main-exit", "plenary-door", "press-centre", "vip-lounge"]
    assert sorted(session.scalars(select(Zone.slug))) == ["plenary", "press", "venue", "vip"]
    days = session.scalars(select(ZoneHours.day).join(Zone).where(Zone.slug == "venue")).all()
    assert len(days) == len(set(days))


def test_a_gate_name_needs_a_language_it_knows(client, session, event, gates):
    staff = staff_headers(session, Role.CHECKIN_SUPERVISOR, event=event)
    url = f"/api/v1/events/{event.slug}/gates/plenary-door"
    for names in ({}, {"fr": "Porte"}, {"en": " "}):
        r = client.patch(url, headers=staff, json={"names": names})
        assert r.status_code == 422 and "names" in r.json["errors"], r.json
    assert client.patch(f"/api/v1/events/{event.slug}/gates/nowhere", headers=staff,
                        json={"names": {"en": "X"}}).json["code"] == "gate_not_found"
    session.expire_all()
    assert gates["plenary-door"].name == "Plenary hall door"
