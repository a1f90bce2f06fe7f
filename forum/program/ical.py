"""iCalendar (RFC 5545) from sessions of a published version: the public feeds and, through
the same function, a participant's personal agenda.

Nothing in the output depends on the wall clock: DTSTAMP and LAST-MODIFIED are the version's
publication time and SEQUENCE its number, so fetching the same version twice gives the same
bytes (and calendar apps see an update only when a new version is published). Times are in
UTC, which every client reads without a VTIMEZONE.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from icalendar import Calendar
from icalendar import Event as VEvent

from forum.events.models import Event
from forum.i18n import pick

PRODID = "-//Digital Bridge//forum program//EN"


def session_url(base_url: str, session_id: str) -> str:
    """Where a session is shown on the public program page."""
    return f"{base_url}/program#session-{session_id}"


def uid(event: Event, session_id: str, base_url: str) -> str:
    """A UID that stays the same across versions (and for the personal feed)."""
    host = urlsplit(base_url).hostname or "forum"
    return f"{session_id}.{event.slug}@{host}"


def _description(entry: dict[str, Any], language: str, speakers: Mapping[str, str]) -> str:
    lines = [pick(entry["description"], language)]
    names = [f"{speakers[s['id']]} ({s['role']})" for s in entry["speakers"] if s["id"] in speakers]
    if names:
        lines.append(", ".join(names))
    lines.append(f"{entry['kind']} · {entry['language']}")
    return "\n\n".join(line for line in lines if line)


def _location(entry: dict[str, Any], language: str) -> str:
    room = entry["room"]
    return ", ".join(part for part in (pick(room["name"], language, room["slug"]),
                                       room["location"]) if part)


def build_calendar(event: Event, sessions: Iterable[dict[str, Any]], lang: str, name: str, *,
                   speakers: Mapping[str, str], published_at: datetime, sequence: int,
                   base_url: str) -> bytes:
    """One VEVENT per snapshot session (cancelled ones marked so) in language ``lang``.

    ``speakers`` maps the ids of speakers with a public profile to their names; the others
    are left out. ``published_at`` and ``sequence`` come from the version shown.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", event.timezone)
    for entry in sessions:
        item = VEvent()
        item.add("uid", uid(event, entry["id"], base_url))
        item.add("dtstamp", published_at)
        item.add("last-modified", published_at)
        item.add("sequence", sequence)
        item.add("dtstart", datetime.fromisoformat(entry["starts_at"]))
        item.add("dtend", datetime.fromisoformat(entry["ends_at"]))
        item.add("summary", pick(entry["title"], lang))
        item.add("location", _location(entry, lang))
        item.add("description", _description(entry, lang, speakers))
        if entry["track"]:
            item.add("categories", [pick(entry["track"]["name"], lang, entry["track"]["slug"])])
        item.add("url", session_url(base_url, entry["id"]))
        item.add("status", "CANCELLED" if entry["status"] == "cancelled" else "CONFIRMED")
        item.add("transp", "OPAQUE")
        calendar.add_component(item)
    return calendar.to_ical()
