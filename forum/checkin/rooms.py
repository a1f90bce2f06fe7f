"""Rooms of the program as check-in zones: a workshop door admits only its booked people.

A zone linked to a room follows its other rules as before; in addition, from ``DOORS_OPEN``
before a bookable published session in that room until its end, an entry needs a seat
(a ``booked`` booking) in that session, else the scan is ``not_allowed``. The session windows
travel in the device's cached zone rules; the booking is read per scan (one indexed lookup,
only at room doors during a session). The scanner bundle carries, per session, the badge
serials of its booked people and nothing else, so the rule holds offline too. Attendance
per session counts distinct badges admitted through the room's doors within its window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import Session

from forum.audit import service as audit
from forum.badges.models import Badge
from forum.checkin.models import Checkin, Direction, Gate, Outcome, Zone
from forum.errors import Conflict
from forum.events.models import Event
from forum.i18n import pick
from forum.program.models import (
    BookingStatus,
    ProgramSession,
    Room,
    SessionBooking,
    SessionStatus,
)
from forum.program.service import get_session

# Doors open this long before a workshop starts.
DOORS_OPEN = timedelta(minutes=15)
# A room's door, named per language after the room (no grammatical case needed).
_DOOR = {"en": "{room} door", "ru": "{room}: вход", "kk": "{room}: кіреберіс"}


@dataclass(frozen=True, slots=True)
class RoomSession:
    """The time a bookable session holds its room's door."""

    session_id: int
    public_id: str
    opens_at: datetime
    ends_at: datetime


def room_zone(session: Session, event: Event, room: Room, *, now: datetime, actor: str
              ) -> tuple[Zone, Gate]:
    """Make a room a check-in zone with one entry door (again: the same zone and door).

    The zone admits every category and lets people in again (two workshops in one room on
    one day); its bookable sessions do the rest.
    """
    zone = session.scalar(select(Zone).where(Zone.room_id == room.id))
    if zone is None:
        slug = room.slug[:32]
        if session.scalar(select(Zone.id).where(Zone.event_id == event.id,
                                                Zone.slug == slug)) is not None:
            raise Conflict(f"A zone named '{slug}' exists already.", code="zone_exists")
        zone = Zone(event_id=event.id, slug=slug, names=dict(room.name), categories=[],
                    delegation_heads=False, allows_reentry=True, room_id=room.id)
        session.add(zone)
        session.flush()
        audit.record(session, actor=actor, action="zone.room", target_type="zone",
                     target_id=zone.slug, event_id=event.id, now=now,
                     data={"room": room.slug})
    gate = session.scalar(select(Gate).where(Gate.zone_id == zone.id,
                                             Gate.direction == Direction.ENTRY).limit(1))
    if gate is None:
        slug = f"{room.slug[:27]}-door"
        if session.scalar(select(Gate.id).where(Gate.event_id == event.id,
                                                Gate.slug == slug)) is not None:
            raise Conflict(f"A gate named '{slug}' exists already.", code="gate_exists")
        names = {language: pattern.format(room=pick(room.name, language, room.slug))
                 for language, pattern in _DOOR.items()}
        gate = Gate(event_id=event.id, zone_id=zone.id, slug=slug, name=names["en"],
                    names=names, direction=Direction.ENTRY)
        session.add(gate)
        session.flush()
    return zone, gate


def room_sessions(session: Session, room_id: int | None) -> tuple[RoomSession, ...]:
    if room_id is None:
        return ()
    rows = session.execute(
        select(ProgramSession.id, ProgramSession.public_id, ProgramSession.starts_at,
               ProgramSession.ends_at)
        .where(ProgramSession.room_id == room_id, ProgramSession.bookable.is_(True),
               ProgramSession.status == SessionStatus.PUBLISHED)
        .order_by(ProgramSession.starts_at)).all()
    return tuple(RoomSession(i, p, starts - DOORS_OPEN, ends) for i, p, starts, ends in rows)


def running(sessions: tuple[RoomSession, ...], moment: datetime) -> RoomSession | None:
    """The session whose door window holds ``moment`` (the later one when two touch)."""
    found = None
    for item in sessions:
        if item.opens_at <= moment < item.ends_at:
            found = item
    return found


_HOLDS_SEAT = select(SessionBooking.id).where(
    SessionBooking.session_id == bindparam("session_id"),
    SessionBooking.participant_id == bindparam("participant_id"),
    SessionBooking.status == BookingStatus.BOOKED)


def holds_seat(session: Session, session_id: int, participant_id: int) -> bool:
    return session.connection().execute(
        _HOLDS_SEAT, {"session_id": session_id, "participant_id": participant_id}
    ).first() is not None


def bundle_sessions(session: Session, zone: Zone) -> list[dict[str, Any]] | None:
    """The offline form of a room zone's rule: windows and booked badge serials."""
    if zone.room_id is None:
        return None
    windows = room_sessions(session, zone.room_id)
    serials: dict[int, list[str]] = {}
    if windows:
        rows = session.execute(
            select(SessionBooking.session_id, Badge.serial)
            .join(Badge, Badge.participant_id == SessionBooking.participant_id)
            .where(SessionBooking.session_id.in_([w.session_id for w in windows]),
                   SessionBooking.status == BookingStatus.BOOKED, Badge.revoked_at.is_(None))
            .order_by(SessionBooking.session_id, Badge.serial))
        for session_id, serial in rows:
            serials.setdefault(session_id, []).append(serial)
    return [{"id": w.public_id, "opens_at": w.opens_at.isoformat(),
             "ends_at": w.ends_at.isoformat(), "booked": serials.get(w.session_id, [])}
            for w in windows]


def attendance(session: Session, event: Event, public_id: str) -> dict[str, Any]:
    """Seats booked, the waitlist, and how many came in through the room's doors."""
    item = get_session(session, event, public_id)
    counts = dict(session.execute(
        select(SessionBooking.status, func.count()).where(SessionBooking.session_id == item.id)
        .group_by(SessionBooking.status)).all())
    opens, ends = item.starts_at - DOORS_OPEN, item.ends_at
    zone_id = session.scalar(select(Zone.id).where(Zone.room_id == item.room_id))
    attended = 0
    if zone_id is not None:
        attended = session.scalar(
            select(func.count(func.distinct(Checkin.badge_id))).where(and_(
                Checkin.zone_id == zone_id, Checkin.outcome == Outcome.OK,
                Checkin.direction == Direction.ENTRY, Checkin.annulled_at.is_(None),
                Checkin.scanned_at >= opens, Checkin.scanned_at < ends))) or 0
    return {"session": item.public_id, "room": item.room.slug,
            "zone": session.scalar(select(Zone.slug).where(Zone.id == zone_id))
            if zone_id is not None else None,
            "seats": item.seats, "booked": counts.get(BookingStatus.BOOKED, 0),
            "waitlisted": counts.get(BookingStatus.WAITLISTED, 0), "attended": attended}
