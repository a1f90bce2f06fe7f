"""Scan times: a scan's own time is taken only inside a window ending at the server's now
(plus a little clock skew) and starting FORUM_SCAN_MAX_AGE_HOURS back; the rest is refused."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.checkin import service
from forum.checkin.models import Checkin

from .. import factories
from .conftest import auth, scan

NOW = factories.NOW


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Checkin))


def _offline(code: str, at: str) -> dict:
    return {"code": code, "gate": "main-entrance", "nonce": str(uuid.uuid4()), "scanned_at": at}


@pytest.mark.parametrize("at", [
    "0001-01-01T00:00:00+14:00",  # year 1 has no UTC form at +14:00
    "9999-12-31T23:59:59-12:00",
    (NOW - service.SCAN_MAX_AGE - timedelta(seconds=1)).isoformat(),
    (NOW + service.CLOCK_SKEW + timedelta(seconds=1)).isoformat(),
])
def test_a_scan_time_outside_the_window_is_refused(client, session, scanner, badge_code, at):
    token = scanner()
    _p, code = badge_code()
    r = scan(client, token, code, scanned_at=at)
    assert r.status_code == 422, r.get_data(as_text=True)
    assert r.headers["Content-Type"] == "application/problem+json"
    assert r.json["code"] == "scan_time_out_of_window"
    assert list(r.json["errors"]) == ["scanned_at"]
    assert _count(session) == 0


def test_the_edges_of_the_window_are_taken(client, session, scanner, badge_code):
    token = scanner()
    oldest = NOW - service.SCAN_MAX_AGE
    _p, code = badge_code()
    r = scan(client, token, code, scanned_at=oldest.isoformat())
    assert r.status_code == 200 and r.json["checkin"]["scanned_at"] == oldest.isoformat()
    # A device clock a little fast: taken, and dated at the server's now.
    _p, code = badge_code()
    r = scan(client, token, code, scanned_at=(NOW + service.CLOCK_SKEW).isoformat())
    assert r.status_code == 200 and r.json["checkin"]["scanned_at"] == NOW.isoformat()


def test_the_window_is_configurable(app, client, session, scanner, badge_code):
    token = scanner()
    _p, code = badge_code()
    three_hours_ago = (NOW - timedelta(hours=3)).isoformat()
    app.config["FORUM_SCAN_MAX_AGE_HOURS"] = 2
    r = scan(client, token, code, scanned_at=three_hours_ago)
    assert r.status_code == 422 and "2 hours" in r.json["errors"]["scanned_at"][0]
    app.config["FORUM_SCAN_MAX_AGE_HOURS"] = 4
    assert scan(client, token, code, scanned_at=three_hours_ago).json["status"] == "ok"


def test_a_batch_names_each_refused_scan_and_writes_nothing(client, session, scanner,
                                                            badge_code):
    token = scanner()
    _p, code = badge_code()
    scans = [_offline(code, (NOW - timedelta(hours=1)).isoformat()),
             _offline(code, "0001-01-01T00:00:00+14:00"),
             _offline(code, (NOW - timedelta(days=30)).isoformat()),
             _offline(code, (NOW + timedelta(hours=1)).isoformat())]
    r = client.post("/api/v1/checkins/batch", json={"scans": scans}, headers=auth(token))
    assert r.status_code == 422, r.json
    assert r.json["code"] == "scan_time_out_of_window"
    assert set(r.json["errors"]) == {"scans.1.scanned_at", "scans.2.scanned_at",
                                     "scans.3.scanned_at"}
    assert "future" in r.json["errors"]["scans.3.scanned_at"][0]
    assert _count(session) == 0
    # Days-old offline scans within the window keep their real time.
    two_days = (NOW - timedelta(days=2)).isoformat()
    r = client.post("/api/v1/checkins/batch", json={"scans": [_offline(code, two_days)]},
                    headers=auth(token))
    assert r.status_code == 200 and r.json["results"][0]["checkin"]["scanned_at"] == two_days
    row = session.scalar(select(Checkin))
    assert row.received_at == NOW and row.scanned_at == NOW - timedelta(days=2)


def test_a_retry_is_answered_as_before_once_its_time_has_left_the_window(client, clock, session,
                                                                         scanner, badge_code):
    token = scanner()
    _p, code = badge_code()
    scans = [_offline(code, (NOW - timedelta(hours=70)).isoformat())]
    first = client.post("/api/v1/checkins/batch", json={"scans": scans}, headers=auth(token))
    assert first.status_code == 200  # outside_hours: the demo zones open on the event days
    clock.advance(hours=3)  # the scan is now 73 hours old; its answer was lost on the way
    again = client.post("/api/v1/checkins/batch", json={"scans": scans}, headers=auth(token))
    assert again.status_code == 200 and again.json == first.json
    single = scan(client, token, code, nonce=scans[0]["nonce"],
                  scanned_at=scans[0]["scanned_at"])
    assert single.status_code == 200
    assert single.json["checkin"] == first.json["results"][0]["checkin"]
    assert _count(session) == 1
