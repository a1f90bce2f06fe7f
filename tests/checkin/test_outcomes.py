"""The outcome table of DESIGN §5, one test each, through the HTTP API."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from forum.badges import keys
from forum.badges import service as badges
from forum.checkin.models import Checkin, Outcome, Zone, ZoneHours
from forum.organizations.models import Delegation
from forum.registration import service as registration

from .. import factories
from .conftest import scan


def test_ok_shows_the_participant_and_records_the_scan(client, session, scanner, badge_code):
    token = scanner("main-entrance")
    participant, code = badge_code("attendee", first_name="Dana", last_name="Sadykova")
    r = scan(client, token, code)
    assert r.status_code == 200, r.json
    assert r.json["status"] == "ok"
    assert r.json["participant"] == {
        "display_name": "Dana Sadykova", "category": "attendee", "category_name": "Attendee",
        "organization": "Astana Hub", "country": "KZ", "photo_url": None}
    assert r.json["checkin"]["gate"] == "main-entrance"
    assert r.json["checkin"]["zone"] == "venue"
    assert r.json["checkin"]["direction"] == "entry"
    assert "first_checkin" not in r.json
    row = session.scalar(select(Checkin))
    assert row.public_id == r.json["checkin"]["id"]
    assert row.outcome is Outcome.OK and row.participant_id == participant.id
    assert row.received_at >= row.scanned_at


def test_second_scan_is_already_checked_in_with_first_time_and_gate(client, scanner, badge_code):
    lane1, lane2 = scanner("main-entrance", "lane 1"), scanner("main-entrance", "lane 2")
    _p, code = badge_code()
    first = scan(client, lane1, code).json
    again = scan(client, lane2, code).json
    assert again["status"] == "already_checked_in"
    assert again["first_checkin"] == {"at": first["checkin"]["scanned_at"],
                                      "gate": "main-entrance"}
    assert again["participant"]["display_name"] == first["participant"]["display_name"]


def test_tampered_code_is_invalid(client, session, scanner, badge_code):
    token = scanner()
    _p, code = badge_code()
    flipped = code[:40] + ("A" if code[40] != "A" else "B") + code[41:]
    for bad in (flipped, "HELLO", "x" * 300):
        r = scan(client, token, bad)
        assert r.status_code == 200
        assert r.json["status"] == "invalid"
        assert r.json["participant"] is None
    assert session.scalar(select(func.count()).where(Checkin.outcome == Outcome.INVALID)) == 3


def test_older_revision_after_reissue_is_revoked(client, session, scanner, badge_code):
    token = scanner()
    participant, old_code = badge_code()
    badge = badges.reissue(session, participant, now=factories.NOW, actor="test", reason="lost")
    new_code = badges.badge_token(session, badge)
    session.commit()
    r = scan(client, token, old_code)
    assert r.json["status"] == "revoked"
    assert r.json["participant"]["display_name"] == participant.display_name
    assert scan(client, token, new_code).json["status"] == "ok"


def test_cancelled_participant_is_revoked(client, session, scanner, badge_code):
    token = scanner()
    participant, code = badge_code()
    registration.cancel(session, participant, now=factories.NOW, actor="test")
    session.commit()
    assert scan(client, token, code).json["status"] == "revoked"


def test_attendee_at_the_vip_lounge_is_not_allowed(client, session, scanner, badge_code):
    token = scanner("vip-lounge")
    _p, attendee = badge_code("attendee")
    _p, vip = badge_code("vip")
    r = scan(client, token, attendee, gate="vip-lounge")
    assert r.json["status"] == "not_allowed"
    assert r.json["checkin"]["zone"] == "vip"
    assert scan(client, token, vip, gate="vip-lounge").json["status"] == "ok"


def test_delegation_head_enters_the_vip_lounge(client, session, event, scanner, badge_code):
    token = scanner("vip-lounge")
    delegation = factories.make_delegation(session, event, head_email="head@gov.uz")
    session.commit()
    _p, head = badge_code("delegate", email="head@gov.uz",
                          delegation_code=delegation.invitation_code)
    _p, member = badge_code("delegate", delegation_code=delegation.invitation_code)
    assert scan(client, token, head, gate="vip-lounge").json["status"] == "ok"
    assert scan(client, token, member, gate="vip-lounge").json["status"] == "not_allowed"
    assert session.get(Delegation, delegation.id).head_email == "head@gov.uz"


def test_badge_of_another_event_is_wrong_event(client, session, scanner, badge_code):
    token = scanner()
    other = factories.make_event(session, slug="other-edition")
    keys.create_key(session, other, now=factories.NOW)
    stranger = factories.make_participant(session, other)
    code = badges.badge_token(session, badges.ensure_badge(session, stranger, now=factories.NOW))
    session.commit()
    r = scan(client, token, code)
    assert r.json["status"] == "wrong_event"
    assert r.json["participant"] is None
    row = session.scalar(select(Checkin))
    assert row.outcome is Outcome.WRONG_EVENT and row.badge_id is None


def test_closed_zone_is_outside_hours(client, session, event, scanner, badge_code):
    press = session.scalar(select(Zone).where(Zone.event_id == event.id, Zone.slug == "press"))
    tz = ZoneInfo(event.timezone)
    today = factories.NOW.astimezone(tz).date()
    for hours in session.scalars(select(ZoneHours).where(ZoneHours.zone_id == press.id)):
        session.delete(hours)
    session.flush()
    # Open yesterday only: today the press centre is closed.
    yesterday = today - timedelta(days=1)
    session.add(ZoneHours(zone_id=press.id, day=yesterday,
                          opens_at=datetime.combine(yesterday, time(9), tz),
                          closes_at=datetime.combine(yesterday, time(18), tz)))
    session.commit()
    token = scanner("press-centre")
    _p, code = badge_code("staff")
    r = scan(client, token, code, gate="press-centre")
    assert r.json["status"] == "outside_hours"
