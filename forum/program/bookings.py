"""Workshop seats: bookings, the waitlist, promotion when a seat frees up.

A bookable session of the latest published version has a seat counter (``SessionSeats``)
whose ``taken`` rises with the conditional UPDATE of ``forum.quota``: under PostgreSQL's row
lock or SQLite's write lock the check and the write are one step, and the CHECK constraint
``taken <= quota`` is the second guard. A booking that finds no seat joins the waitlist; a
freed seat goes to the first waitlisted person in the same transaction, with the counter row
locked first so that two cancellations at once promote two different people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from forum import quota
from forum.audit import service as audit
from forum.errors import Conflict, NotFound, ValidationFailed
from forum.events.models import Event
from forum.program import errors, public
from forum.program.models import (
    BookingStatus,
    ProgramSession,
    SessionBooking,
    SessionSeats,
    SessionStatus,
)
from forum.registration.models import Participant, Status


@dataclass
class Booked:
    """A booking as answered: its status and any clash with the person's other bookings."""

    booking: SessionBooking
    session_id: str
    warnings: list[dict[str, Any]] = field(default_factory=list)


def _entries(session: Session, event: Event) -> dict[str, dict]:
    return {e["id"]: e for e in public.published_sessions(session, event)}


def _live(session: Session, event: Event, public_id: str) -> ProgramSession | None:
    return session.scalar(select(ProgramSession).where(
        ProgramSession.event_id == event.id, ProgramSession.public_id == public_id))


def _insert_ignore(session: Session, values: dict[str, Any]) -> None:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(SessionSeats).values(**values)
                    .on_conflict_do_nothing(index_elements=["session_id"]))


def _pool(session: Session, item: ProgramSession, capacity: int, *, now: datetime
          ) -> SessionSeats:
    """The session's seat counter, created at the first booking; its quota follows the
    published capacity (never below the seats taken; a raise promotes the waitlist)."""
    pool = session.scalar(select(SessionSeats).where(SessionSeats.session_id == item.id))
    if pool is None:
        # Two first bookings at once both insert; the unique key keeps one row.
        _insert_ignore(session, {"event_id": item.event_id, "session_id": item.id,
                                 "quota": capacity, "taken": 0})
        pool = session.scalars(select(SessionSeats).where(SessionSeats.session_id == item.id)
                               .execution_options(populate_existing=True)).one()
    if pool.quota != capacity:
        session.execute(update(SessionSeats).where(SessionSeats.id == pool.id).values(
            quota=case((SessionSeats.taken > capacity, SessionSeats.taken), else_=capacity)))
        session.expire(pool)
        while _promote(session, item, now=now, seat_free=False):
            pass
    return pool


def _promote(session: Session, item: ProgramSession, *, now: datetime, seat_free: bool
             ) -> SessionBooking | None:
    """Give a seat to the first waitlisted booking; ``seat_free``: the seat was just freed
    (and is still counted as taken), else one is taken from the counter."""
    pool = session.scalars(select(SessionSeats).where(SessionSeats.session_id == item.id)
                           .with_for_update()).one_or_none()  # the lock ordering promotions
    if pool is None:  # no seat was ever counted here (rows written by hand)
        return None
    first = None
    if item.status is not SessionStatus.CANCELLED:
        waiting = (select(SessionBooking)
                   .where(SessionBooking.session_id == item.id,
                          SessionBooking.status == BookingStatus.WAITLISTED)
                   .order_by(SessionBooking.id).limit(1))
        for _attempt in range(5):
            first = session.scalar(waiting.with_for_update())
            # PostgreSQL: when the first row was deleted (its owner left the waitlist) while
            # we waited for its lock, LIMIT 1 … FOR UPDATE answers no row at all; look again.
            if first is not None or session.scalar(waiting.with_only_columns(
                    SessionBooking.id)) is None:
                break
    if first is None:
        if seat_free:
            quota.give_back(session, [pool])
        return None
    if not seat_free and not quota.try_take(session, [pool]):
        return None
    first.status = BookingStatus.BOOKED
    first.updated_at = now
    audit.record(session, actor="system", action="booking.promote",
                 target_type="session_booking", target_id=item.public_id,
                 event_id=item.event_id, now=now, data={"participant": first.participant_id})
    return first


def _span(entry: dict) -> tuple[datetime, datetime]:
    # Parsed, not compared as text: a snapshot's offsets need not all be UTC.
    return datetime.fromisoformat(entry["starts_at"]), datetime.fromisoformat(entry["ends_at"])


def _overlaps(session: Session, participant: Participant, entry: dict,
              entries: dict[str, dict]) -> list[dict[str, Any]]:
    others = session.execute(
        select(ProgramSession.public_id, SessionBooking.status)
        .join(ProgramSession, SessionBooking.session_id == ProgramSession.id)
        .where(SessionBooking.participant_id == participant.id,
               ProgramSession.public_id != entry["id"])).all()
    found = []
    starts, ends = _span(entry)
    for public_id, status in others:
        other = entries.get(public_id)
        if other is None:
            continue
        other_starts, other_ends = _span(other)
        if other_starts < ends and starts < other_ends:
            found.append({"code": "overlaps", "session": public_id, "status": status.value})
    return sorted(found, key=lambda w: w["session"])


def book(session: Session, participant: Participant, public_id: str, *, now: datetime
         ) -> Booked:
    """Book a seat in a bookable session of the published program, or join its waitlist."""
    if participant.status is not Status.CONFIRMED:
        raise Conflict("Only a confirmed registration can book workshop seats.",
                       code=errors.REGISTRATION_NOT_CONFIRMED)
    event = participant.event
    entries = _entries(session, event)
    entry = entries.get(public_id)
    item = _live(session, event, public_id) if entry is not None else None
    if entry is None or item is None:
        raise ValidationFailed("The session is not valid.", errors={
            "session": ["No such session in the published program."]})
    if (not entry["bookable"] or not item.bookable
            or SessionStatus.CANCELLED in (entry["status"], item.status)):
        raise Conflict("This session takes no bookings.", code=errors.NOT_BOOKABLE)
    if session.scalar(select(SessionBooking.id).where(
            SessionBooking.session_id == item.id,
            SessionBooking.participant_id == participant.id)) is not None:
        raise Conflict("You already booked this session.", code=errors.ALREADY_BOOKED)
    pool = _pool(session, item, entry["capacity"], now=now)
    status = (BookingStatus.BOOKED if quota.try_take(session, [pool])
              else BookingStatus.WAITLISTED)
    booking = SessionBooking(session_id=item.id, participant_id=participant.id, status=status,
                             created_at=now, updated_at=now)
    session.add(booking)
    session.flush()  # the unique key answers a second booking of the same person at once
    audit.record(session, actor=f"participant:{participant.public_id}",
                 action="booking.create", target_type="session_booking", target_id=public_id,
                 event_id=event.id, now=now, data={"status": status.value})
    return Booked(booking, public_id, _overlaps(session, participant, entry, entries))


def _release(session: Session, booking: SessionBooking, item: ProgramSession, *,
             now: datetime) -> SessionBooking | None:
    held = booking.status is BookingStatus.BOOKED
    session.delete(booking)
    session.flush()
    return _promote(session, item, now=now, seat_free=True) if held else None


def cancel(session: Session, participant: Participant, public_id: str, *, now: datetime
           ) -> SessionBooking | None:
    """Give up a booking (or waitlist place); returns the booking promoted into the seat."""
    item = _live(session, participant.event, public_id)
    booking = None if item is None else session.scalar(
        select(SessionBooking).where(SessionBooking.session_id == item.id,
                                     SessionBooking.participant_id == participant.id)
        .with_for_update())
    if booking is None or item is None:
        raise NotFound("You have no booking for this session.", code=errors.NOT_BOOKED)
    audit.record(session, actor=f"participant:{participant.public_id}",
                 action="booking.cancel", target_type="session_booking", target_id=public_id,
                 event_id=participant.event_id, now=now, data={"status": booking.status.value})
    return _release(session, booking, item, now=now)


def release_all(session: Session, participant: Participant, *, now: datetime) -> None:
    """A cancelled registration gives up every booking; each freed seat is promoted.

    Called by ``forum.registration.service.cancel`` (registered as its cancel hook).
    """
    rows = session.execute(
        select(SessionBooking, ProgramSession)
        .join(ProgramSession, SessionBooking.session_id == ProgramSession.id)
        .where(SessionBooking.participant_id == participant.id)
        .order_by(SessionBooking.session_id)).all()  # one lock order for every canceller
    for booking, item in rows:
        _release(session, booking, item, now=now)


def my_bookings(session: Session, participant: Participant) -> list[dict[str, Any]]:
    rows = session.execute(
        select(ProgramSession.public_id, SessionBooking.status, SessionBooking.created_at)
        .join(ProgramSession, SessionBooking.session_id == ProgramSession.id)
        .where(SessionBooking.participant_id == participant.id)
        .order_by(ProgramSession.starts_at, ProgramSession.public_id)).all()
    return [{"session": public_id, "status": status.value, "created_at": created}
            for public_id, status, created in rows]


def booked_session_ids(session: Session, participant: Participant) -> list[int]:
    """Row ids of the sessions where the person holds a seat (for their calendar)."""
    return list(session.scalars(select(SessionBooking.session_id).where(
        SessionBooking.participant_id == participant.id,
        SessionBooking.status == BookingStatus.BOOKED)))
