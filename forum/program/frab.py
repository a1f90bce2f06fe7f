"""The conference-app formats: frab's ``schedule.xml`` and the c3voc ``schedule.json``.

Both are built from one structure (the c3voc JSON) made from a published version's snapshot,
so the two never disagree. Identifiers are stable across versions: the guids are UUID5 of the
session, room and speaker ids, and the numeric ``id`` the formats still require is derived
from the session's guid (never a database row id, which would tell the program's size).
Cancelled sessions are left out, as pretalx does: the formats have no status.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from forum.events.models import Event
from forum.i18n import pick
from forum.program.conflicts import zone
from forum.program.ical import session_url

GENERATOR = {"name": "digital-bridge-forum", "version": "1"}
TIMESLOT = "00:15"
_FRAB_TRACK_SLUG = re.compile(r"[a-z][a-z0-9-]+")


def guid(event: Event, kind: str, key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:digital-bridge:{event.slug}:{kind}:{key}"))


def acronym(event: Event) -> str:
    """The event's slug as both formats accept it: lower case, digits, underscores, ≥ 4."""
    return event.slug.replace("-", "_").ljust(4, "_")


def _hhmm(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _numeric_ids(guids: Iterable[str]) -> dict[str, int]:
    """A positive integer per guid, unique within the schedule (the formats require one)."""
    taken: set[int] = set()
    found = {}
    for value in sorted(guids):
        number = int(uuid.UUID(value).hex[:7], 16) + 1
        while number in taken:  # a clash is resolved the same way on every build
            number += 1
        taken.add(number)
        found[value] = number
    return found


def schedule(event: Event, sessions: Iterable[dict[str, Any]], *, lang: str,
             version: str, speakers: Mapping[str, str], base_url: str) -> dict[str, Any]:
    """The c3voc ``schedule.json`` document of the given snapshot sessions."""
    tz = zone(event)
    live = [e for e in sessions if e["status"] != "cancelled"]
    ids = _numeric_ids(guid(event, "session", e["id"]) for e in live)
    rooms: dict[str, dict[str, Any]] = {}
    tracks: dict[str, dict[str, Any]] = {}
    for entry in live:
        room = entry["room"]
        rooms.setdefault(room["slug"], {"name": pick(room["name"], lang, room["slug"]),
                                        "slug": room["slug"],
                                        "guid": guid(event, "room", room["slug"]),
                                        "description": room["location"] or None})
        if entry["track"]:
            track = entry["track"]
            tracks.setdefault(track["slug"], {"name": pick(track["name"], lang, track["slug"]),
                                              "slug": track["slug"], "color": track["colour"]})
    first, last = event.starts_on, event.ends_on
    days = []
    for index in range((last - first).days + 1):
        day: date = first + timedelta(days=index)
        start = datetime.combine(day, time(), tz)
        end = datetime.combine(day + timedelta(days=1), time(), tz)
        per_room: dict[str, list] = {r["name"]: [] for r in rooms.values()}
        for entry in live:
            begins = datetime.fromisoformat(entry["starts_at"]).astimezone(tz)
            if begins.date() != day:
                continue
            out = _event(event, entry, lang=lang, speakers=speakers, base_url=base_url,
                         number=ids[guid(event, "session", entry["id"])], tz=tz)
            per_room[out["room"]].append(out)
        days.append({"index": index + 1, "date": day.isoformat(),
                     "day_start": start.isoformat(), "day_end": end.isoformat(),
                     "rooms": per_room})
    conference = {
        "acronym": acronym(event), "title": event.name,
        "start": first.isoformat(), "end": last.isoformat(), "daysCount": len(days),
        "timeslot_duration": TIMESLOT, "time_zone_name": event.timezone,
        "url": f"{base_url}/program",
        "tracks": list(tracks.values()), "rooms": list(rooms.values()), "days": days,
    }
    return {"$schema": "https://c3voc.de/schedule/schema.json", "generator": GENERATOR,
            "schedule": {"version": version, "base_url": base_url, "conference": conference}}


def _event(event: Event, entry: dict[str, Any], *, lang: str, speakers: Mapping[str, str],
           base_url: str, number: int, tz) -> dict[str, Any]:
    begins = datetime.fromisoformat(entry["starts_at"]).astimezone(tz)
    ends = datetime.fromisoformat(entry["ends_at"]).astimezone(tz)
    key = guid(event, "session", entry["id"])
    text = pick(entry["description"], lang)
    return {
        "guid": key, "id": number,
        "date": begins.isoformat(), "start": begins.strftime("%H:%M"),
        "end": ends.isoformat(), "duration": _hhmm(ends - begins),
        "room": pick(entry["room"]["name"], lang, entry["room"]["slug"]),
        "slug": f"{acronym(event)}-{uuid.UUID(key).hex}",
        "url": session_url(base_url, entry["id"]),
        "title": pick(entry["title"], lang), "subtitle": "",
        "track": pick(entry["track"]["name"], lang, entry["track"]["slug"])
        if entry["track"] else None,
        "type": entry["kind"], "language": entry["language"],
        "abstract": text, "description": None,
        "persons": [{"name": speakers[s["id"]], "guid": guid(event, "speaker", s["id"])}
                    for s in entry["speakers"] if s["id"] in speakers],
        "links": [], "attachments": [],
    }


def _text(parent: ET.Element, tag: str, value: Any, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    node.text = "" if value is None else str(value)
    return node


def schedule_xml(document: dict[str, Any]) -> bytes:
    """frab's ``schedule.xml`` from the ``schedule.json`` document."""
    data = document["schedule"]
    conference = data["conference"]
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", {"name": GENERATOR["name"],
                                      "version": GENERATOR["version"]})
    _text(root, "version", data["version"])
    head = ET.SubElement(root, "conference")
    for tag in ("acronym", "title", "start", "end"):
        _text(head, tag, conference[tag])
    _text(head, "days", conference["daysCount"])
    _text(head, "timeslot_duration", conference["timeslot_duration"])
    _text(head, "base_url", data["base_url"])
    _text(head, "url", conference["url"])
    _text(head, "time_zone_name", conference["time_zone_name"])
    for track in conference["tracks"]:
        attrs = {"name": track["name"], "color": track["color"]}
        if _FRAB_TRACK_SLUG.fullmatch(track["slug"]):  # frab's slugs begin with a letter
            attrs["slug"] = track["slug"]
        _text(head, "track", track["name"], **attrs)
    guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        node = ET.SubElement(root, "day", {"index": str(day["index"]), "date": day["date"],
                                           "start": day["day_start"], "end": day["day_end"]})
        for name, events in day["rooms"].items():
            room = ET.SubElement(node, "room", {"name": name, "guid": guids[name]})
            for item in events:
                _xml_event(room, item)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _xml_event(room: ET.Element, item: dict[str, Any]) -> None:
    node = ET.SubElement(room, "event", {"guid": item["guid"], "id": str(item["id"])})
    for tag in ("date", "start", "duration", "room", "slug", "url", "title", "subtitle",
                "track", "type", "language", "abstract", "description"):
        _text(node, tag, item[tag])
    persons = ET.SubElement(node, "persons")
    for person in item["persons"]:
        _text(persons, "person", person["name"], guid=person["guid"])
    ET.SubElement(node, "links")
    ET.SubElement(node, "attachments")
