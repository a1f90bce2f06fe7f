"""Retries, exits, annulment, device auth and malformed requests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.checkin import service
from forum.checkin.models import Checkin, Outcome, ZoneAdmission
from forum.errors import Conflict

from .. import factories
from .conftest import auth, scan


def _count(session, *where) -> int:
    return session.scalar(select(func.count()).select_from(Checkin).where(*where))


def test_same_nonce_returns_the_same_answer_and_one_row(client, session, scanner, badge_code):
    token = scanner()
    _p, code = badge_code()
    first = scan(client, token, code, nonce="nonce-0001")
    retry = scan(client, token, code, nonce="nonce-0001")
    assert first.json["status"] == "ok"
    assert retry.json == first.json
    assert _count(session) == 1
    # A new nonce is a new scan: now the badge is inside.
    assert scan(client, token, code, nonce="nonce-0002").json["status"] == "already_checked_in"
    again = scan(client, token, code, nonce="nonce-0002").json
    assert again["status"] == "already_checked_in" and again["first_checkin"]["gate"] == \
        "main-entrance"
    assert _count(session) == 2


def test_exit_frees_the_zone_for_the_next_entry(client, session, scanner, badge_code):
    entrance, exit_ = scanner("main-entrance"), scanner("main-exit")
    _p, code = badge_code()
    assert scan(client, entrance, code).json["status"] == "ok"
    out = scan(client, exit_, code, gate="main-exit").json
    assert out["status"] == "ok" and out["checkin"]["direction"] == "exit"
    assert session.scalar(select(func.count()).select_from(ZoneAdmission)) == 0
    assert scan(client, entrance, code).json["status"] == "ok"
    assert scan(client, entrance, code).json["status"] == "already_checked_in"


def test_device_annuls_its_scan_within_15_minutes(client, session, scanner, badge_code):
    token = scanner()
    _p, code = badge_code()
    checkin_id = scan(client, token, code).json["checkin"]["id"]
    r = client.post(f"/api/v1/checkins/{checkin_id}/annul", headers=auth(token))
    assert r.status_code == 200, r.json
    assert r.json["annulled_by"].startswith("scanner:")
    assert session.scalar(select(func.count()).select_from(ZoneAdmission)) == 0
    # The admission is free again.
    assert scan(client, token, code).json["status"] == "ok"


def test_another_device_cannot_annul_but_an_organizer_can(client, scanner, badge_code,
                                                          organizer):
    token, other = scanner(name="lane 1"), scanner(name="lane 2")
    _p, code = badge_code()
    checkin_id = scan(client, token, code).json["checkin"]["id"]
    r = client.post(f"/api/v1/checkins/{checkin_id}/annul", headers=auth(other))
    assert r.status_code == 403 and r.json["code"] == "not_your_scan"
    r = client.post(f"/api/v1/checkins/{checkin_id}/annul", headers=organizer)
    assert r.status_code == 200 and r.json["annulled_by"].startswith("account:")
    assert client.post("/api/v1/checkins/nope/annul", headers=organizer).status_code == 404


def test_annul_after_15_minutes_is_refused(session, scanner, badge_code, client):
    token = scanner()
    _p, code = badge_code()
    checkin_id = scan(client, token, code).json["checkin"]["id"]
    checkin = service.get_checkin(session, checkin_id)
    late = checkin.received_at + timedelta(minutes=15, seconds=1)
    with pytest.raises(Conflict) as refused:
        service.annul(session, checkin, now=late, actor="test")
    assert refused.value.code == "annul_window_passed"
    service.annul(session, checkin, now=checkin.received_at + timedelta(minutes=14), actor="t")
    assert checkin.annulled_at is not None


def test_annul_window_counts_from_the_servers_receipt(client, clock, session, scanner,
                                                     badge_code):
    token = scanner()
    _p, code = badge_code()
    # Scanned offline 20 minutes ago, received now: still within the window.
    old = factories.NOW - timedelta(minutes=20)
    late_upload = scan(client, token, code, scanned_at=old.isoformat()).json["checkin"]["id"]
    r = client.post(f"/api/v1/checkins/{late_upload}/annul", headers=auth(token))
    assert r.status_code == 200, r.json
    # A device clock running 4 minutes fast does not stretch the window either.
    _p, other = badge_code()
    ahead = factories.NOW + timedelta(minutes=4)
    fast = scan(client, token, other, scanned_at=ahead.isoformat()).json["checkin"]
    assert fast["scanned_at"] == factories.NOW.isoformat()  # clamped to its arrival
    clock.advance(minutes=15, seconds=1)
    r = client.post(f"/api/v1/checkins/{fast['id']}/annul", headers=auth(token))
    assert r.status_code == 409
    assert r.json["code"] == "annul_window_passed"
    assert r.headers["Content-Type"] == "application/problem+json"


def test_unknown_and_missing_tokens_are_401(client, gates, badge_code):
    _p, code = badge_code()
    body = {"code": code, "gate": "main-entrance", "nonce": "nonce-0001"}
    r = client.post("/api/v1/checkins", json=body)
    assert r.status_code == 401 and r.json["code"] == "missing_token"
    r = client.post("/api/v1/checkins", json=body, headers=auth("not-a-scanner"))
    assert r.status_code == 401 and r.json["code"] == "invalid_token"


def test_revoked_device_is_401(client, session, scanner, badge_code, organizer):
    token = scanner()
    _p, code = badge_code()
    assert scan(client, token, code).status_code == 200
    listed = client.get("/api/v1/events/digital-bridge/gates/main-entrance/devices",
                        headers=organizer).json
    device_id = listed[0]["id"]
    r = client.delete(f"/api/v1/events/digital-bridge/gates/main-entrance/devices/{device_id}",
                      headers=organizer)
    assert r.status_code == 204
    r = scan(client, token, code)
    assert r.status_code == 401 and r.json["code"] == "invalid_token"


def test_gate_mismatch_is_403(client, scanner, badge_code):
    token = scanner("main-entrance")
    _p, code = badge_code()
    r = scan(client, token, code, gate="vip-lounge")
    assert r.status_code == 403 and r.json["code"] == "gate_mismatch"


def test_malformed_requests(client, scanner):
    token = scanner()
    r = client.post("/api/v1/checkins", json={"gate": "main-entrance"}, headers=auth(token))
    assert r.status_code == 422
    assert set(r.json["errors"]) == {"code", "nonce"}
    r = client.post("/api/v1/checkins", data="{not json", headers={
        **auth(token), "Content-Type": "application/json"})
    assert r.status_code == 400 and r.json["code"] == "malformed_json"
    r = client.post("/api/v1/checkins", json={"code": "X", "gate": "main-entrance",
                                              "nonce": "nonce-0001", "scanned_at": "yesterday"},
                    headers=auth(token))
    assert r.status_code == 422 and "scanned_at" in r.json["errors"]


def test_every_attempt_is_stored(client, session, scanner, badge_code):
    token = scanner("vip-lounge")
    _p, code = badge_code()
    for _ in range(3):
        scan(client, token, code, gate="vip-lounge")
    scan(client, token, "GARBAGE", gate="vip-lounge")
    rows = session.scalars(select(Checkin).order_by(Checkin.id)).all()
    assert [r.outcome for r in rows] == [Outcome.NOT_ALLOWED] * 3 + [Outcome.INVALID]
    assert all(r.device_id and r.gate_id and r.scanned_at and r.received_at for r in rows)
