"""Workshop seats: booking, the waitlist and its promotion, clashes, cancelled registrations,
and seats_left in the public program; the service and the HTTP contract."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.errors import DomainError
from forum.program import bookings
from forum.program.models import (
    BookingStatus,
    SessionBooking,
    SessionKind,
    SessionSeats,
    SessionStatus,
)
from forum.registration import service as registration
from forum.registration.models import Status
from tests import factories
from tests.factories import NOW
from tests.test_registration_api import assert_problem

ME = "/api/v1/registrations/me/bookings"
PROGRAM = "/api/v1/events/digital-bridge/program"


@pytest.fixture
def workshop(session, event):
    """A published bookable workshop with 2 seats, and a plain keynote."""
    room = factories.make_room(session, event, capacity=40)
    item = factories.make_session(session, event, room=room, kind=SessionKind.WORKSHOP,
                                  bookable=True, capacity=2, start="11:00")
    keynote = factories.make_session(session, event, start="11:30")
    factories.publish(session, event)
    session.commit()
    return item, keynote


def _code(exc_info) -> str:
    return exc_info.value.code


def _people(session, event, n):
    out = [factories.make_participant(session, event) for _ in range(n)]
    session.commit()
    return out


def test_seats_then_waitlist_and_the_counter_matches(session, event, workshop):
    item, _ = workshop
    people = _people(session, event, 3)
    statuses = [bookings.book(session, p, item.public_id, now=NOW).booking.status
                for p in people]
    assert statuses == [BookingStatus.BOOKED, BookingStatus.BOOKED, BookingStatus.WAITLISTED]
    seats = session.scalar(select(SessionSeats).where(SessionSeats.session_id == item.id))
    assert (seats.quota, seats.taken) == (2, 2)


def test_a_freed_seat_goes_to_the_first_waitlisted_in_the_same_transaction(
        session, event, workshop):
    item, _ = workshop
    a, b, c, d = _people(session, event, 4)
    for p in (a, b, c, d):
        bookings.book(session, p, item.public_id, now=NOW)
    promoted = bookings.cancel(session, a, item.public_id, now=NOW)
    assert promoted.participant_id == c.id and promoted.status is BookingStatus.BOOKED
    # A waitlist place given up frees no seat.
    assert bookings.cancel(session, d, item.public_id, now=NOW) is None
    seats = session.scalar(select(SessionSeats).where(SessionSeats.session_id == item.id))
    assert seats.taken == 2
    with pytest.raises(DomainError) as exc:
        bookings.cancel(session, a, item.public_id, now=NOW)
    assert _code(exc) == "not_booked"


def test_the_last_seat_freed_with_nobody_waiting_returns_to_the_counter(
        session, event, workshop):
    item, _ = workshop
    (a,) = _people(session, event, 1)
    bookings.book(session, a, item.public_id, now=NOW)
    assert bookings.cancel(session, a, item.public_id, now=NOW) is None
    assert session.scalar(select(SessionSeats.taken)
                          .where(SessionSeats.session_id == item.id)) == 0


def test_each_refusal_has_its_code(session, event, workshop):
    item, keynote = workshop
    (a,) = _people(session, event, 1)
    bookings.book(session, a, item.public_id, now=NOW)
    for public_id, code in ((item.public_id, "already_booked"),
                            (keynote.public_id, "not_bookable")):
        with pytest.raises(DomainError) as exc:
            bookings.book(session, a, public_id, now=NOW)
        assert _code(exc) == code
    with pytest.raises(DomainError) as exc:
        bookings.book(session, a, "nope", now=NOW)
    assert exc.value.status == 422 and "session" in exc.value.errors
    pending = factories.make_participant(session, event, category="press", by_organizer=False)
    assert pending.status is Status.PENDING
    with pytest.raises(DomainError) as exc:
        bookings.book(session, pending, item.public_id, now=NOW)
    assert _code(exc) == "registration_not_confirmed"


def test_a_cancelled_session_keeps_its_bookings_and_takes_no_new_ones(
        session, event, workshop):
    item, _ = workshop
    a, b = _people(session, event, 2)
    bookings.book(session, a, item.public_id, now=NOW)
    item.status = SessionStatus.CANCELLED  # organizers cancelled it, not yet republished
    session.flush()
    with pytest.raises(DomainError) as exc:
        bookings.book(session, b, item.public_id, now=NOW)
    assert _code(exc) == "not_bookable"
    assert [x["session"] for x in bookings.my_bookings(session, a)] == [item.public_id]


def test_overlapping_bookings_are_warned_about(session, event, workshop):
    item, _ = workshop
    room = factories.make_room(session, event)
    other = factories.make_session(session, event, room=room, kind=SessionKind.WORKSHOP,
                                   bookable=True, capacity=5, start="11:30")
    later = factories.make_session(session, event, room=room, kind=SessionKind.WORKSHOP,
                                   bookable=True, capacity=5, start="14:00")
    factories.publish(session, event)
    (a,) = _people(session, event, 1)
    assert bookings.book(session, a, item.public_id, now=NOW).warnings == []
    clash = bookings.book(session, a, other.public_id, now=NOW)
    assert clash.warnings == [{"code": "overlaps", "session": item.public_id,
                               "status": "booked"}]
    assert bookings.book(session, a, later.public_id, now=NOW).warnings == []


def test_a_cancelled_registration_frees_its_seats_for_the_waitlist(session, event, workshop):
    item, _ = workshop
    a, b, c = _people(session, event, 3)
    for p in (a, b, c):
        bookings.book(session, p, item.public_id, now=NOW)
    registration.cancel(session, a, now=NOW, actor="test")
    rows = dict(session.execute(select(SessionBooking.participant_id, SessionBooking.status)
                                .where(SessionBooking.session_id == item.id)).all())
    assert rows == {b.id: BookingStatus.BOOKED, c.id: BookingStatus.BOOKED}
    assert session.scalar(select(SessionSeats.taken)
                          .where(SessionSeats.session_id == item.id)) == 2


def test_a_larger_published_capacity_promotes_the_waitlist(session, event, workshop):
    item, _ = workshop
    people = _people(session, event, 4)
    for p in people[:3]:
        bookings.book(session, p, item.public_id, now=NOW)
    item.capacity = 4
    factories.publish(session, event)
    assert bookings.book(session, people[3], item.public_id, now=NOW).booking.status \
        is BookingStatus.BOOKED
    statuses = session.scalars(select(SessionBooking.status)
                               .where(SessionBooking.session_id == item.id)).all()
    assert sorted(statuses) == [BookingStatus.BOOKED] * 4


# --- over HTTP ------------------------------------------------------------------------------

def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_booking_over_http_takes_the_contract_shapes(client, session, event, workshop):
    item, keynote = workshop
    people = [factories.make_registrant(session, event) for _ in range(3)]
    session.commit()
    answers = [client.post(ME, json={"session": item.public_id}, headers=_auth(token))
               for _, token in people]
    assert [r.status_code for r in answers] == [201, 201, 201]
    assert [r.json["status"] for r in answers] == ["booked", "booked", "waitlisted"]
    assert answers[0].json["session"] == item.public_id and answers[0].json["warnings"] == []

    mine = client.get(ME, headers=_auth(people[2][1]))
    assert mine.status_code == 200
    assert [(b["session"], b["status"]) for b in mine.json["bookings"]] == [
        (item.public_id, "waitlisted")]

    again = client.post(ME, json={"session": item.public_id}, headers=_auth(people[0][1]))
    assert_problem(again, 409, "already_booked")
    plain = client.post(ME, json={"session": keynote.public_id}, headers=_auth(people[0][1]))
    assert_problem(plain, 409, "not_bookable")
    unknown = client.post(ME, json={"session": "nope"}, headers=_auth(people[0][1]))
    assert unknown.status_code == 422 and "session" in unknown.json["errors"]

    gone = client.delete(f"{ME}/{item.public_id}", headers=_auth(people[0][1]))
    assert gone.status_code == 200 and gone.json == {"session": item.public_id,
                                                     "status": "cancelled"}
    promoted = client.get(ME, headers=_auth(people[2][1]))
    assert promoted.json["bookings"][0]["status"] == "booked"
    assert_problem(client.delete(f"{ME}/{item.public_id}", headers=_auth(people[0][1])),
                   404, "not_booked")


def test_a_retried_booking_with_its_idempotency_key_replays_the_first_answer(
        client, session, event, workshop):
    item, keynote = workshop
    (_, mine), (_, theirs) = (factories.make_registrant(session, event) for _ in range(2))
    session.commit()
    key = {"Idempotency-Key": "book-1", **_auth(mine)}
    first = client.post(ME, json={"session": item.public_id}, headers=key)
    again = client.post(ME, json={"session": item.public_id}, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json and first.json["status"] == "booked"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    seats = session.scalar(select(SessionSeats).where(SessionSeats.session_id == item.id))
    session.refresh(seats)
    assert seats.taken == 1  # the retry took no second seat
    # Without the key, or with a new one, the same booking is already_booked.
    assert_problem(client.post(ME, json={"session": item.public_id}, headers=_auth(mine)),
                   409, "already_booked")
    # The same key with another body is refused; another person's same key is their own.
    assert_problem(client.post(ME, json={"session": keynote.public_id}, headers=key),
                   409, "idempotency_key_reused")
    other = client.post(ME, json={"session": item.public_id},
                        headers={"Idempotency-Key": "book-1", **_auth(theirs)})
    assert other.status_code == 201 and "Idempotent-Replayed" not in other.headers


def test_a_cancelled_registration_forgets_its_stored_booking_answers(
        client, session, event, workshop):
    from forum.idempotency import IdempotencyRecord

    item, _ = workshop
    person, token = factories.make_registrant(session, event)
    session.commit()
    client.post(ME, json={"session": item.public_id},
                headers={"Idempotency-Key": "k", **_auth(token)})
    stored = select(IdempotencyRecord).where(IdempotencyRecord.subject == person.public_id)
    assert len(session.scalars(stored).all()) == 1
    registration.cancel(session, person, now=NOW)
    session.commit()
    assert session.scalars(stored).all() == []


def test_without_a_manage_token_bookings_are_401(client, workshop):
    item, _ = workshop
    assert client.get(ME).status_code == 401
    assert client.post(ME, json={"session": item.public_id}).status_code == 401
    assert client.delete(f"{ME}/{item.public_id}").status_code == 401
    assert client.post(ME, json={"session": item.public_id},
                       headers=_auth("forged")).status_code == 401


def test_a_pending_registration_cannot_book(client, session, event, workshop):
    item, _ = workshop
    _, token = registration.register(
        session, event=event, data=factories.registration_data(category="press"), now=NOW)
    session.commit()
    r = client.post(ME, json={"session": item.public_id}, headers=_auth(token))
    assert_problem(r, 409, "registration_not_confirmed")


def test_the_clash_warning_over_http(client, session, event, workshop):
    item, _ = workshop
    other = factories.make_session(session, event, kind=SessionKind.WORKSHOP, bookable=True,
                                   capacity=3, start="11:15", minutes=30)
    factories.publish(session, event)
    _, token = factories.make_registrant(session, event)
    session.commit()
    client.post(ME, json={"session": item.public_id}, headers=_auth(token))
    r = client.post(ME, json={"session": other.public_id}, headers=_auth(token))
    assert r.status_code == 201
    assert r.json["warnings"] == [{"code": "overlaps", "session": item.public_id,
                                   "status": "booked"}]


def test_seats_left_is_public_and_its_etag_moves_with_a_booking(client, session, event,
                                                                 workshop):
    item, keynote = workshop
    first = client.get(PROGRAM)
    by_id = {s["id"]: s for s in first.json["sessions"]}
    assert by_id[item.public_id]["seats_left"] == 2
    assert "seats_left" not in by_id[keynote.public_id]
    etag = first.headers["ETag"]
    assert client.get(PROGRAM, headers={"If-None-Match": etag}).status_code == 304

    _, token = factories.make_registrant(session, event)
    session.commit()
    client.post(ME, json={"session": item.public_id}, headers=_auth(token))
    changed = client.get(PROGRAM, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert {s["id"]: s for s in changed.json["sessions"]}[item.public_id]["seats_left"] == 1
    detail = client.get(f"{PROGRAM}/sessions/{item.public_id}")
    assert detail.json["seats_left"] == 1
