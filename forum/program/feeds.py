"""The public feeds of the latest published version: iCalendar, frab XML and c3voc JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forum.i18n import pick
from forum.program import frab, public
from forum.program.ical import build_calendar
from forum.program.models import ScheduleVersion


def _number(session: Session, current: public.View) -> int:
    if current.version_id is None:
        return 0
    return session.scalar(select(ScheduleVersion.number)
                          .where(ScheduleVersion.id == current.version_id)) or 0


def _published_at(current: public.View) -> datetime:
    if current.version is None:  # nothing published: a fixed stamp keeps the bytes stable
        return datetime.combine(current.event.starts_on, datetime.min.time(), UTC)
    return datetime.fromisoformat(current.version["published_at"]).astimezone(UTC)


def _title(entries: list[dict], filters: dict[str, Any], language: str,
           speakers: dict[str, str]) -> str:
    """What a filtered feed shows, for the calendar's name."""
    parts = []
    for key in ("track", "room"):
        if filters.get(key):
            named = next((e[key]["name"] for e in entries if e[key] and
                          e[key]["slug"] == filters[key]), None)
            parts.append(pick(named, language, filters[key]))
    if filters.get("speaker"):
        parts.append(speakers.get(filters["speaker"], filters["speaker"]))
    return " · ".join(parts)


def calendar(session: Session, current: public.View, *, language: str,
             filters: dict[str, Any], base_url: str) -> bytes:
    entries, speakers = public.published(session, current, filters)
    title = _title(entries, filters, language, speakers)
    name = f"{current.event.name} · {title}" if title else current.event.name
    return build_calendar(current.event, entries, language, name, speakers=speakers,
                          published_at=_published_at(current),
                          sequence=_number(session, current), base_url=base_url)


def schedule(session: Session, current: public.View, *, language: str, base_url: str
             ) -> dict[str, Any]:
    entries, speakers = public.published(session, current)
    version = current.version["name"] if current.version else "unpublished"
    return frab.schedule(current.event, entries, lang=language, version=version,
                         speakers=speakers, base_url=base_url)


def schedule_xml(session: Session, current: public.View, *, language: str, base_url: str
                 ) -> bytes:
    return frab.schedule_xml(schedule(session, current, language=language,
                                      base_url=base_url))
