"""The personal agenda: bookmarks of the published program, and the secret calendar feed
with its own read-only token (rotated on request, gone with a cancelled registration)."""

from __future__ import annotations

import pytest
from icalendar import Calendar
from sqlalchemy import select

from forum.program import agenda, bookings
from forum.program.models import PersonalCalendar, SessionKind
from forum.registration import service as registration
from forum.tokens import token_hash
from tests import factories
from tests.test_registration_api import assert_problem

AGENDA = "/api/v1/registrations/me/agenda"


@pytest.fixture
def program(session, event):
    """Three published sessions (one a bookable workshop) and one draft."""
    talks = [factories.make_session(session, event, start=f"{10 + n}:00",
                                    title={"en": f"Talk {n}", "ru": f"Доклад {n}"})
             for n in range(2)]
    workshop = factories.make_session(session, event, kind=SessionKind.WORKSHOP, bookable=True,
                                      capacity=5, start="15:00", title={"en": "Workshop"})
    draft = factories.make_session(session, event, start="16:00", status="draft")
    factories.publish(session, event)
    session.commit()
    return talks, workshop, draft


@pytest.fixture
def me(session, event):
    participant, token = factories.make_registrant(session, event, locale="ru")
    session.commit()
    return participant, {"Authorization": f"Bearer {token}"}, token


def _feed(client, url: str):
    path = url.split("://", 1)[1].split("/", 1)[1]
    return client.get("/" + path)


def _summaries(response) -> list[str]:
    calendar = Calendar.from_ical(response.data)
    return sorted(str(c["summary"]) for c in calendar.walk("VEVENT"))


def test_bookmarks_take_the_contract_shape(client, program, me):
    talks, workshop, _ = program
    _, headers, token = me
    empty = client.get(AGENDA, headers=headers)
    assert empty.status_code == 200 and empty.json["sessions"] == []
    url = empty.json["calendar_url"]
    assert url.startswith("http") and url.endswith(".ics") and token not in url

    wanted = [talks[1].public_id, talks[0].public_id, talks[1].public_id]
    r = client.put(AGENDA, json={"sessions": wanted}, headers=headers)
    assert r.status_code == 200
    assert r.json == {"sessions": [talks[1].public_id, talks[0].public_id],
                      "calendar_url": url}
    assert client.get(AGENDA, headers=headers).json["sessions"] == r.json["sessions"]


def test_unknown_and_unpublished_ids_are_field_errors(client, program, me):
    talks, _, draft = program
    _, headers, _ = me
    r = client.put(AGENDA, json={"sessions": [talks[0].public_id, "nope", draft.public_id]},
                   headers=headers)
    body = assert_problem(r, 422, r.json["code"])
    assert body["errors"]["sessions"] == ["Unknown session 'nope'.",
                                          f"Unknown session '{draft.public_id}'."]
    assert client.get(AGENDA, headers=headers).json["sessions"] == []  # nothing was saved
    assert client.put(AGENDA, json={}, headers=headers).status_code == 422


def test_the_agenda_needs_the_manage_token(client, program):
    assert client.get(AGENDA).status_code == 401
    assert client.put(AGENDA, json={"sessions": []}).status_code == 401
    assert client.post(f"{AGENDA}/calendar").status_code == 401
    assert client.get(AGENDA, headers={"Authorization": "Bearer forged"}).status_code == 401


def test_the_feed_lists_bookmarked_and_booked_sessions_in_my_language(
        client, session, program, me):
    talks, workshop, _ = program
    participant, headers, _ = me
    url = client.put(AGENDA, json={"sessions": [talks[0].public_id]},
                     headers=headers).json["calendar_url"]
    bookings.book(session, participant, workshop.public_id, now=factories.NOW)
    session.commit()
    r = _feed(client, url)
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    assert "private" in r.headers["Cache-Control"]
    assert _summaries(r) == ["Workshop", "Доклад 0"]


def test_rotating_the_calendar_token_stops_the_old_url(client, session, program, me):
    participant, headers, _ = me
    old = client.get(AGENDA, headers=headers).json["calendar_url"]
    r = client.post(f"{AGENDA}/calendar", headers=headers)
    assert r.status_code == 200
    new = r.json["calendar_url"]
    assert new != old
    assert_problem(_feed(client, old), 404, "calendar_not_found")
    assert _feed(client, new).status_code == 200
    assert client.get(AGENDA, headers=headers).json["calendar_url"] == new
    # Only the token's hash is kept.
    row = session.scalar(select(PersonalCalendar)
                         .where(PersonalCalendar.participant_id == participant.id))
    assert row.token_hash == token_hash(new.rsplit("/", 1)[1].removesuffix(".ics"))


def test_a_cancelled_registration_loses_its_feed(client, session, program, me):
    participant, headers, _ = me
    url = client.get(AGENDA, headers=headers).json["calendar_url"]
    assert client.delete("/api/v1/registrations/me", headers=headers).status_code == 200
    assert_problem(_feed(client, url), 404, "calendar_not_found")


def test_the_token_is_derived_per_person_and_generation():
    class P:
        public_id = "abc"

    one = agenda.calendar_token(P(), 1, secret=b"k")
    assert one == agenda.calendar_token(P(), 1, secret=b"k")
    assert one != agenda.calendar_token(P(), 2, secret=b"k")
    assert one != agenda.calendar_token(P(), 1, secret=b"other")


def test_factories_of_the_personal_models(session, event, program):
    talks, workshop, _ = program
    person = factories.make_participant(session, event)
    assert factories.make_agenda_entry(session, talks[0], person).position == 0
    assert factories.make_personal_calendar(session, person).generation == 1
    assert factories.make_session_seats(session, workshop).quota == 5
    assert factories.make_booking(session, workshop, person).status.value == "booked"


def test_a_waitlist_place_stays_out_of_the_feed(client, session, event, program, me):
    _, workshop, _ = program
    participant, headers, _ = me
    for _ in range(5):  # the workshop's five seats go to others first
        bookings.book(session, factories.make_participant(session, event), workshop.public_id,
                      now=factories.NOW)
    assert bookings.book(session, participant, workshop.public_id,
                         now=factories.NOW).booking.status.value == "waitlisted"
    session.commit()
    url = client.get(AGENDA, headers=headers).json["calendar_url"]
    assert _summaries(_feed(client, url)) == []


def test_a_cancelled_registration_has_no_agenda(client, session, program, me):
    participant, headers, _ = me
    registration.cancel(session, participant, now=factories.NOW, actor="test")
    session.commit()
    assert_problem(client.get(AGENDA, headers=headers), 409, "registration_inactive")
    assert_problem(client.put(AGENDA, json={"sessions": []}, headers=headers), 409,
                   "registration_inactive")
