"""Live figures for organizers: who is inside, admissions over time, rejections."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forum.checkin.models import Checkin, Direction, Outcome, Zone, ZoneAdmission
from forum.events.models import Event

BUCKET = timedelta(minutes=15)


def _bucket(moment: datetime, tz: ZoneInfo) -> datetime:
    local = moment.astimezone(tz)
    return local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)


def figures(session: Session, event: Event, *, day: date | None, now: datetime) -> dict[str, Any]:
    """People inside each zone, admissions per 15 minutes (local time), rejections by outcome."""
    tz = ZoneInfo(event.timezone)
    day = day or now.astimezone(tz).date()
    zones = {z.id: z for z in session.scalars(select(Zone).where(Zone.event_id == event.id))}
    live = (Checkin.event_id == event.id, Checkin.event_day == day,
            Checkin.annulled_at.is_(None))

    held = dict(session.execute(
        select(ZoneAdmission.zone_id, func.count()).where(
            ZoneAdmission.day == day, ZoneAdmission.zone_id.in_(zones))
        .group_by(ZoneAdmission.zone_id)).all())
    # Zones with re-entry keep no admission rows: inside = entries - exits.
    flows = Counter()
    for zone_id, direction, count in session.execute(
            select(Checkin.zone_id, Checkin.direction, func.count())
            .where(*live, Checkin.outcome == Outcome.OK)
            .group_by(Checkin.zone_id, Checkin.direction)):
        flows[(zone_id, direction)] = count
    inside = {}
    for zone_id, zone in zones.items():
        if zone.allows_reentry:
            inside[zone.slug] = max(0, flows[(zone_id, Direction.ENTRY)]
                                    - flows[(zone_id, Direction.EXIT)])
        else:
            inside[zone.slug] = held.get(zone_id, 0)

    buckets: dict[datetime, Counter] = {}
    for zone_id, scanned_at in session.execute(
            select(Checkin.zone_id, Checkin.scanned_at)
            .where(*live, Checkin.outcome == Outcome.OK, Checkin.direction == Direction.ENTRY)):
        buckets.setdefault(_bucket(scanned_at, tz), Counter())[zones[zone_id].slug] += 1
    admissions = [{"start": start, "count": sum(by_zone.values()), "by_zone": dict(by_zone)}
                  for start, by_zone in sorted(buckets.items())]

    rejections = {outcome.value: count for outcome, count in session.execute(
        select(Checkin.outcome, func.count()).where(*live, Checkin.outcome != Outcome.OK)
        .group_by(Checkin.outcome))}
    return {"day": day, "timezone": event.timezone, "inside": inside,
            "admissions": admissions, "rejections": rejections}
