"""The demo event's zones and gates, open all day so a new user can scan right away."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from forum.checkin import rooms
from forum.checkin.models import Direction, Gate, Zone, ZoneHours
from forum.events.models import Event
from forum.program.models import ProgramSession, Room, SessionStatus

# slug → (names, admitted categories (empty = all), delegation heads admitted)
ZONES: dict[str, tuple[dict[str, str], list[str], bool]] = {
    "venue": ({"en": "Venue", "ru": "Площадка", "kk": "Алаң"}, [], False),
    "plenary": ({"en": "Plenary hall", "ru": "Пленарный зал", "kk": "Пленарлық зал"}, [], False),
    "vip": ({"en": "VIP lounge", "ru": "VIP-зал", "kk": "VIP-зал"}, ["vip", "speaker"], True),
    "press": ({"en": "Press centre", "ru": "Пресс-центр", "kk": "Баспасөз орталығы"},
              ["press", "staff"], False),
}
# slug → (names, zone, direction); the English name is the gate's base text
GATES: dict[str, tuple[dict[str, str], str, Direction]] = {
    "main-entrance": ({"en": "Main entrance", "ru": "Главный вход", "kk": "Басты кіреберіс"},
                      "venue", Direction.ENTRY),
    "main-exit": ({"en": "Main exit", "ru": "Главный выход", "kk": "Басты шығу есігі"},
                  "venue", Direction.EXIT),
    "plenary-door": ({"en": "Plenary hall door", "ru": "Вход в пленарный зал",
                      "kk": "Пленарлық зал есігі"}, "plenary", Direction.ENTRY),
    "vip-lounge": ({"en": "VIP lounge", "ru": "VIP-зал", "kk": "VIP-зал"}, "vip",
                   Direction.ENTRY),
    "press-centre": ({"en": "Press centre", "ru": "Пресс-центр", "kk": "Баспасөз орталығы"},
                     "press", Direction.ENTRY),
}


def _days(event: Event, now: datetime) -> list[date]:
    today = now.astimezone(ZoneInfo(event.timezone)).date()
    days = {today, today + timedelta(days=1)}
    day = event.starts_on
    while day <= event.ends_on:
        days.add(day)
        day += timedelta(days=1)
    return sorted(days)


def setup_demo_zones(session: Session, event: Event, *, now: datetime) -> dict[str, Gate]:
    """Create (or complete) the demo zones, all-day hours and gates; safe to call again."""
    tz = ZoneInfo(event.timezone)
    zones = {z.slug: z for z in session.scalars(select(Zone).where(Zone.event_id == event.id))}
    for slug, (names, categories, heads) in ZONES.items():
        if slug not in zones:
            zones[slug] = Zone(event_id=event.id, slug=slug, names=names,
                               categories=categories, delegation_heads=heads,
                               allows_reentry=False)
            session.add(zones[slug])
    session.flush()
    have = {(zone_id, day) for zone_id, day in session.execute(
        select(ZoneHours.zone_id, ZoneHours.day).where(
            ZoneHours.zone_id.in_([z.id for z in zones.values()])))}
    for day in _days(event, now):
        opens = datetime.combine(day, time(0), tz)
        closes = datetime.combine(day + timedelta(days=1), time(0), tz)
        for slug in ZONES:
            if (zones[slug].id, day) not in have:
                session.add(ZoneHours(zone_id=zones[slug].id, day=day, opens_at=opens,
                                      closes_at=closes))
    gates = {g.slug: g for g in session.scalars(select(Gate).where(Gate.event_id == event.id))}
    for slug, (names, zone, direction) in GATES.items():
        if slug not in gates:
            gates[slug] = Gate(event_id=event.id, zone_id=zones[zone].id, slug=slug,
                               name=names["en"], names=names, direction=direction)
            session.add(gates[slug])
    session.flush()
    return gates


def setup_room_zones(session: Session, event: Event, *, now: datetime) -> list[Gate]:
    """Make every room that hosts a bookable published session a check-in zone with a door
    (``<room>-door``), where only the booked people enter; safe to call again."""
    found = session.scalars(
        select(Room).where(Room.event_id == event.id, Room.id.in_(
            select(ProgramSession.room_id).where(
                ProgramSession.event_id == event.id, ProgramSession.bookable.is_(True),
                ProgramSession.status == SessionStatus.PUBLISHED)))
        .order_by(Room.position, Room.slug)).all()
    return [rooms.room_zone(session, event, room, now=now, actor="cli:demo")[1]
            for room in found]
