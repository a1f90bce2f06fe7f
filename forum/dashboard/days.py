"""Registrations per local day of the event, grouped in SQL on every backend.

PostgreSQL knows time zones and groups by the local date itself. SQLite does not: when the
zone kept one UTC offset over the event's whole life (Asia/Almaty has since 2024) the day
is ``(epoch + offset) // 86400``; otherwise rows are grouped by UTC quarter-hour, which is
exact for every zone (offsets are multiples of 15 minutes, so a quarter-hour falls on one
local day) and mapped to local days here, over groups rather than rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Integer, cast, func, select
from sqlalchemy.orm import Session

from forum.events.models import Event
from forum.registration.models import ACTIVE_STATUSES, Participant

_DAY = 86_400
_QUARTER = 900
_EPOCH = date(1970, 1, 1)


def _fixed_offset(tz: ZoneInfo, first: date, last: date) -> int | None:
    """The zone's UTC offset in seconds if it was the same on every day from first to last."""
    offsets = set()
    day = first
    while day <= last and len(offsets) < 2:
        offset = datetime.combine(day, time(12), tz).utcoffset()
        offsets.add(int(offset.total_seconds()) if offset is not None else 0)
        day += timedelta(days=1)
    return offsets.pop() if len(offsets) == 1 else None


def _grouping(session: Session, event: Event, *, until: date
              ) -> tuple[Any, Callable[[Any], date]]:
    """The SQL key that groups ``created_at`` by local day, and how a key becomes a date."""
    column = Participant.created_at
    tz = ZoneInfo(event.timezone)
    if session.get_bind().dialect.name != "sqlite":
        return cast(func.timezone(event.timezone, column), Date), lambda key: key
    seconds = cast(func.strftime("%s", column), Integer)
    first = event.created_at.astimezone(tz).date()
    offset = _fixed_offset(tz, first, max(until, event.ends_on))
    if offset is not None:
        return (seconds + offset) // _DAY, lambda key: _EPOCH + timedelta(days=int(key))
    return (seconds // _QUARTER,
            lambda key: datetime.fromtimestamp(int(key) * _QUARTER, UTC).astimezone(tz).date())


def per_day(session: Session, event: Event, *, until: date) -> list[dict[str, Any]]:
    """Active registrations (pending, confirmed, waitlisted) by local day of arrival, with the
    running total, from the first day with one to ``until``; quiet days are listed with 0."""
    key, to_date = _grouping(session, event, until=until)
    key = key.label("day_key")
    counts: Counter[date] = Counter()
    for value, count in session.execute(
            select(key, func.count())
            .where(Participant.event_id == event.id, Participant.status.in_(ACTIVE_STATUSES))
            .group_by(key)):
        counts[to_date(value)] += count
    if not counts:
        return []
    days, total = [], 0
    current, last = min(counts), max(max(counts), until)
    while current <= last:
        total += counts[current]
        days.append({"day": current, "count": counts[current], "cumulative": total})
        current += timedelta(days=1)
    return days
