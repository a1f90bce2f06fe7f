"""The conflict rules of the program, in one place for saving and for the warnings list.

A session conflicts when its room or one of its speakers is in another session at the same
time, when it lies outside the event's days (in the event's time zone) or its room's daily
opening hours, or when its capacity is above its room's. Cancelled sessions never conflict.
Saving checks one session against the sessions overlapping it (``check``); the organizers'
warnings run the same rules over the whole program (``warnings``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from forum.errors import Conflict
from forum.events.models import Event
from forum.program import errors
from forum.program.models import ProgramSession, SessionKind, SessionSpeaker, SessionStatus


def zone(event: Event) -> ZoneInfo:
    return ZoneInfo(event.timezone)


def local_iso(moment: datetime, event: Event) -> str:
    """An instant as ISO 8601 with the event's offset (10:00+05:00 in Astana)."""
    return moment.astimezone(zone(event)).isoformat()


def event_window(event: Event) -> tuple[datetime, datetime]:
    """From the first day's midnight to the midnight after the last day, local time, in UTC."""
    tz = zone(event)
    start = datetime.combine(event.starts_on, time(), tzinfo=tz)
    end = datetime.combine(event.ends_on + timedelta(days=1), time(), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def summary(item: ProgramSession) -> dict[str, Any]:
    """How a problem body names a session."""
    return {"id": item.public_id, "title": dict(item.title),
            "starts_at": local_iso(item.starts_at, item.event),
            "ends_at": local_iso(item.ends_at, item.event), "room": item.room.slug}


@dataclass
class Found:
    """One broken rule: its code, what to tell, and the extra fields of the problem body."""

    code: str
    detail: str
    extra: dict[str, Any] = field(default_factory=dict)

    def error(self) -> Conflict:
        return Conflict(self.detail, code=self.code, title=_TITLES[self.code],
                        extra=self.extra)


_TITLES = {
    errors.ROOM_DOUBLE_BOOKED: "The room is booked at that time",
    errors.SPEAKER_DOUBLE_BOOKED: "A speaker is in another session at that time",
    errors.OUTSIDE_EVENT_DAYS: "Outside the event's days or the room's hours",
    errors.CAPACITY_ABOVE_ROOM: "More seats than the room has",
}


def _overlap(a: ProgramSession, b: ProgramSession) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _speaker_ids(item: ProgramSession) -> set[int]:
    return {link.speaker_id for link in item.speakers}


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _outside(item: ProgramSession, event: Event) -> Found | None:
    first, last = event_window(event)
    if item.starts_at < first or item.ends_at > last:
        return Found(errors.OUTSIDE_EVENT_DAYS,
                     f"The event runs from {event.starts_on} to {event.ends_on} "
                     f"({event.timezone}).",
                     {"session": summary(item), "event_days": [str(event.starts_on),
                                                               str(event.ends_on)]})
    room = item.room
    if room.opens_at is None and room.closes_at is None:
        return None
    # Minutes on the local clock from the midnight the session starts after; a room that
    # closes at 00:00 (or never) closes at 24:00, so sessions may not run past midnight.
    tz = zone(event)
    begins = item.starts_at.astimezone(tz)
    midnight = datetime.combine(begins.date(), time(), tzinfo=tz)
    start = (begins - midnight) / timedelta(minutes=1)
    end = (item.ends_at.astimezone(tz) - midnight) / timedelta(minutes=1)
    opens = _minutes(room.opens_at) if room.opens_at else 0
    closes = _minutes(room.closes_at) if room.closes_at else 0
    closes = closes or 24 * 60
    if start < opens or end > closes:
        hours = [_clock(opens), _clock(closes)]
        return Found(errors.OUTSIDE_EVENT_DAYS,
                     f"The room {room.slug} is open {hours[0]}–{hours[1]}.",
                     {"session": summary(item), "room_hours": hours})
    return None


def _own_rules(item: ProgramSession, event: Event) -> list[Found]:
    found = []
    if item.capacity is not None and item.capacity > item.room.capacity:
        found.append(Found(errors.CAPACITY_ABOVE_ROOM,
                           f"The room {item.room.slug} seats {item.room.capacity}.",
                           {"session": summary(item),
                            "room": {"slug": item.room.slug, "capacity": item.room.capacity}}))
    outside = _outside(item, event)
    if outside:
        found.append(outside)
    return found


def _pair_rules(item: ProgramSession, other: ProgramSession) -> list[Found]:
    found = []
    if other.room_id == item.room_id:
        found.append(Found(errors.ROOM_DOUBLE_BOOKED,
                           f"The room {item.room.slug} is booked for another session then.",
                           {"session": summary(item), "conflicting_session": summary(other)}))
    shared = sorted(_speaker_ids(item) & _speaker_ids(other))
    if shared:
        names = {link.speaker_id: link.speaker for link in item.speakers}
        speakers = [names[i].public_id for i in shared if names.get(i) is not None]
        found.append(Found(errors.SPEAKER_DOUBLE_BOOKED,
                           "A speaker of this session is in another session then.",
                           {"session": summary(item), "conflicting_session": summary(other),
                            "speakers": speakers}))
    return found


def problems(item: ProgramSession, others: Iterable[ProgramSession], event: Event
             ) -> list[Found]:
    """Every rule ``item`` breaks against ``others`` (sessions of the same event)."""
    if item.status is SessionStatus.CANCELLED:
        return []
    found = _own_rules(item, event)
    for other in others:
        if (other is item or other.status is SessionStatus.CANCELLED
                or (item.id is not None and other.id == item.id) or not _overlap(item, other)):
            continue
        found.extend(_pair_rules(item, other))
    order = {code: n for n, code in enumerate((errors.CAPACITY_ABOVE_ROOM,
                                               errors.OUTSIDE_EVENT_DAYS,
                                               errors.ROOM_DOUBLE_BOOKED,
                                               errors.SPEAKER_DOUBLE_BOOKED))}
    return sorted(found, key=lambda f: order[f.code])


def _loaded():
    return (selectinload(ProgramSession.speakers).selectinload(SessionSpeaker.speaker),
            selectinload(ProgramSession.room))


def overlapping(session: Session, item: ProgramSession) -> Sequence[ProgramSession]:
    """The event's other live sessions that overlap ``item`` in time."""
    query = select(ProgramSession).options(*_loaded()).where(
        ProgramSession.event_id == item.event_id,
        ProgramSession.status != SessionStatus.CANCELLED,
        ProgramSession.starts_at < item.ends_at, ProgramSession.ends_at > item.starts_at)
    if item.id is not None:
        query = query.where(ProgramSession.id != item.id)
    with session.no_autoflush:  # the item itself is checked before it is written
        return session.scalars(query).all()


def check(session: Session, item: ProgramSession, event: Event) -> None:
    """Raise the first broken rule as a 409 (the caller holds the room's and speakers' locks)."""
    found = problems(item, overlapping(session, item), event)
    if found:
        raise found[0].error()


def warnings(session: Session, event: Event) -> list[dict[str, Any]]:
    """Every current conflict of the event's program, each pair once, then the sessions that
    miss something (no speaker on a talk), in time order."""
    items = session.scalars(
        select(ProgramSession).options(*_loaded())
        .where(ProgramSession.event_id == event.id,
               ProgramSession.status != SessionStatus.CANCELLED)
        .order_by(ProgramSession.starts_at, ProgramSession.id)).all()
    out: list[dict[str, Any]] = []
    for n, item in enumerate(items):
        # Sorted by start: the later sessions that overlap this one follow it directly.
        later = []
        for other in items[n + 1:]:
            if other.starts_at >= item.ends_at:
                break
            later.append(other)
        for found in problems(item, later, event):
            out.append({"code": found.code, "detail": found.detail, **found.extra})
        if not item.speakers and item.kind is not SessionKind.NETWORKING:
            out.append({"code": "no_speakers", "detail": "The session has no speaker yet.",
                        "session": summary(item)})
    return out


def days(event: Event) -> list[date]:
    """The event's days, first to last."""
    return [event.starts_on + timedelta(days=n)
            for n in range((event.ends_on - event.starts_on).days + 1)]
