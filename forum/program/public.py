"""The public program: the latest published version, in the caller's language.

Answers are built from the version's snapshot (immutable, so each process keeps the last few
it read) and the live public profiles of its speakers (only what each agreed to publish).
Their strong ETag is a digest of everything an answer depends on: the version, a fingerprint
of the speakers, the seats taken in bookable sessions, the language and the filters; a
revalidation costs three small queries.

Why ``seats_left`` sits inside the program's ETag rather than behind a separate, shorter-lived
one: 20,000 phones revalidate at most once a minute each (``max-age=60``) whatever the tag
covers, so a separate seats resource would add a second request per phone per minute, always,
while folding the seats in costs a full body only when a seat actually moved. Bookings touch a
handful of workshops, each process builds a body once per tag (``public_api``), and the seat
read is one indexed query over the event's few seat counters. A booking rush thus turns part
of the revalidations into full answers for its duration, and the displayed seats are never
more than a minute old.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from forum.errors import NotFound
from forum.events.models import Event
from forum.i18n import pick
from forum.program import errors, photos
from forum.program.conflicts import zone
from forum.program.models import (
    ProgramSession,
    ScheduleVersion,
    SessionSeats,
    SessionStatus,
    Speaker,
)
from forum.registration.search_index import fold

_SNAPSHOTS: OrderedDict[str, dict] = OrderedDict()
_SNAPSHOTS_KEPT = 8
_SNAPSHOTS_LOCK = threading.Lock()


@dataclass(frozen=True)
class View:
    """What a public answer depends on, read without the (large) snapshot."""

    event: Event
    version_id: int | None
    version: dict[str, Any] | None  # {name, note, published_at}
    public_id: str | None
    speakers: str  # fingerprint of the event's speaker profiles
    seats: dict[str, int] = field(default_factory=dict)  # session id → seats taken

    def etag(self, what: str, language: str, filters: dict[str, Any] | None = None) -> str:
        """The tag of one answer (``what``: program, session:<id>, …) in ``language``."""
        key = json.dumps([self.event.slug, self.public_id, self.speakers,
                          sorted(self.seats.items()), what, language, filters or {}],
                         sort_keys=True,
                         default=str)
        return hashlib.sha256(key.encode()).hexdigest()[:32]


# Every public answer, a 304 included, runs these: built once, they skip SQLAlchemy's
# statement construction (a third of a revalidation's CPU time in bench program-304).
_EVENT_ID = bindparam("event_id")
_SEATS = (select(ProgramSession.public_id, SessionSeats.taken)
          .join(ProgramSession, SessionSeats.session_id == ProgramSession.id)
          .where(SessionSeats.event_id == _EVENT_ID))
_HEAD = (select(ScheduleVersion.id, ScheduleVersion.public_id, ScheduleVersion.name,
                ScheduleVersion.note, ScheduleVersion.published_at)
         .where(ScheduleVersion.event_id == _EVENT_ID)
         .order_by(ScheduleVersion.number.desc()).limit(1))
# Any edit bumps a revision, a new speaker raises the top id, a deletion the count.
_SPEAKERS = (select(func.count(), func.coalesce(func.sum(Speaker.revision), 0),
                    func.coalesce(func.max(Speaker.id), 0), func.max(Speaker.updated_at))
             .where(Speaker.event_id == _EVENT_ID))


def seats_taken(session: Session, event: Event) -> dict[str, int]:
    """Seats taken per bookable session (by public id) that has had a booking."""
    return dict(session.execute(_SEATS, {"event_id": event.id}).all())


def seats_left(entry: dict, taken: dict[str, int]) -> int | None:
    """Free seats of a published bookable session (None for sessions that are not booked)."""
    if not entry["bookable"] or entry["status"] != SessionStatus.PUBLISHED.value:
        return None
    return max(entry["capacity"] - taken.get(entry["id"], 0), 0)


def published_sessions(session: Session, event: Event) -> list[dict]:
    """The sessions of the latest published version, as its snapshot keeps them."""
    return _snapshot(session, view(session, event, with_seats=False))["sessions"]


def view(session: Session, event: Event, *, with_seats: bool = True) -> View:
    head = session.execute(_HEAD, {"event_id": event.id}).first()
    count, revisions, top, changed = session.execute(_SPEAKERS, {"event_id": event.id}).one()
    fingerprint = f"{count}:{revisions}:{top}:{changed}"
    if head is None:
        return View(event, None, None, None, fingerprint)
    version = {"name": head.name, "note": head.note,
               "published_at": head.published_at.astimezone(zone(event)).isoformat()}
    seats = seats_taken(session, event) if with_seats else {}
    return View(event, head.id, version, head.public_id, fingerprint, seats)


def _snapshot(session: Session, current: View) -> dict:
    if current.public_id is None:
        return {"sessions": []}
    with _SNAPSHOTS_LOCK:
        found = _SNAPSHOTS.get(current.public_id)
    if found is None:
        found = session.scalar(select(ScheduleVersion.snapshot)
                               .where(ScheduleVersion.id == current.version_id))
        with _SNAPSHOTS_LOCK:
            _SNAPSHOTS[current.public_id] = found
            while len(_SNAPSHOTS) > _SNAPSHOTS_KEPT:
                _SNAPSHOTS.popitem(last=False)
    return found


def _profiles(session: Session, event: Event, ids: set[str]) -> dict[str, Speaker]:
    """The speakers among ``ids`` who agreed to a public profile."""
    if not ids:
        return {}
    return {s.public_id: s for s in session.scalars(select(Speaker).where(
        Speaker.event_id == event.id, Speaker.public_id.in_(sorted(ids)),
        Speaker.consent_profile.is_(True)))}


def _local(moment: str, event: Event) -> str:
    return datetime.fromisoformat(moment).astimezone(zone(event)).isoformat()


def _session_out(entry: dict, event: Event, language: str, profiles: dict[str, Speaker],
                 *, detail: bool = False, seats: dict[str, int] | None = None
                 ) -> dict[str, Any]:
    track = entry["track"]
    out = {
        "id": entry["id"], "title": pick(entry["title"], language), "kind": entry["kind"],
        "starts_at": _local(entry["starts_at"], event),
        "ends_at": _local(entry["ends_at"], event),
        "room": {"slug": entry["room"]["slug"], "name": pick(entry["room"]["name"], language),
                 "location": entry["room"]["location"],
                 "interpretation": entry["room"]["interpretation"]},
        "track": ({"slug": track["slug"], "name": pick(track["name"], language),
                   "colour": track["colour"]} if track else None),
        "language": entry["language"], "capacity": entry["capacity"],
        "bookable": entry["bookable"], "status": entry["status"],
        "speakers": [{"id": s["id"], "name": profiles[s["id"]].name, "role": s["role"]}
                     for s in entry["speakers"] if s["id"] in profiles],
    }
    left = seats_left(entry, seats or {})
    if left is not None:
        out["seats_left"] = left
    if detail:
        out["description"] = pick(entry["description"], language)
    return out


def _matches(entry: dict, event: Event, filters: dict[str, Any],
             profiles: dict[str, Speaker]) -> bool:
    day: date | None = filters.get("day")
    if day and datetime.fromisoformat(entry["starts_at"]).astimezone(zone(event)).date() != day:
        return False
    for key, value in (("room", (entry["room"]["slug"],)),
                       ("track", (entry["track"]["slug"],) if entry["track"] else ()),
                       ("language", (entry["language"],)), ("kind", (entry["kind"],)),
                       ("speaker", [s["id"] for s in entry["speakers"] if s["id"] in profiles])):
        if filters.get(key) and filters[key] not in value:
            return False
    if filters.get("q"):
        texts = [*entry["title"].values(), *entry["description"].values(),
                 *(profiles[s["id"]].name for s in entry["speakers"] if s["id"] in profiles)]
        return fold(filters["q"]) in fold(" ".join(texts))
    return True


def program(session: Session, current: View, *, language: str, filters: dict[str, Any]
            ) -> dict[str, Any]:
    """The sessions of the latest published version that pass every given filter."""
    entries = _snapshot(session, current)["sessions"]
    profiles = _profiles(session, current.event,
                         {s["id"] for e in entries for s in e["speakers"]})
    return {"version": current.version,
            "sessions": [_session_out(e, current.event, language, profiles,
                                      seats=current.seats) for e in entries
                         if _matches(e, current.event, filters, profiles)]}


def published(session: Session, current: View, filters: dict[str, Any] | None = None
              ) -> tuple[list[dict], dict[str, str]]:
    """The snapshot's sessions that pass the agenda's ``filters`` (for the feeds), and the
    names, by id, of their speakers who agreed to a public profile."""
    entries = _snapshot(session, current)["sessions"]
    profiles = _profiles(session, current.event,
                         {s["id"] for e in entries for s in e["speakers"]})
    chosen = [e for e in entries if _matches(e, current.event, filters or {}, profiles)]
    return chosen, {key: p.name for key, p in profiles.items()}


def session_detail(session: Session, current: View, public_id: str, *, language: str
                   ) -> dict[str, Any]:
    entry = next((e for e in _snapshot(session, current)["sessions"] if e["id"] == public_id),
                 None)
    if entry is None:
        raise NotFound("No such session in the published program.",
                       code=errors.SESSION_NOT_FOUND)
    profiles = _profiles(session, current.event, {s["id"] for s in entry["speakers"]})
    return {"version": current.version,
            **_session_out(entry, current.event, language, profiles, detail=True,
                           seats=current.seats)}


def _profile_out(speaker: Speaker, event: Event, language: str, sessions: list[dict],
                 base_url: str) -> dict[str, Any]:
    return {
        "id": speaker.public_id, "name": speaker.name, "title": speaker.title,
        "organization": speaker.organization, "country": speaker.country or None,
        "bio": pick(speaker.bio, language) if speaker.consent_bio else None,
        "photo": photos.public_url(speaker, event, base_url),
        "links": list(speaker.links) if speaker.consent_links else [],
        "sessions": sessions,
    }


def speakers(session: Session, current: View, *, language: str, base_url: str,
             only: str | None = None) -> list[dict[str, Any]]:
    """The public profiles of the speakers of published sessions (or of ``only`` that one)."""
    entries = [e for e in _snapshot(session, current)["sessions"]
               if e["status"] == SessionStatus.PUBLISHED.value]
    wanted = {s["id"] for e in entries for s in e["speakers"]}
    if only is not None:
        wanted &= {only}
    profiles = _profiles(session, current.event, wanted)
    sessions: dict[str, list[dict]] = {}
    for entry in entries:
        for s in entry["speakers"]:
            sessions.setdefault(s["id"], []).append({
                "id": entry["id"], "title": pick(entry["title"], language),
                "starts_at": _local(entry["starts_at"], current.event), "role": s["role"]})
    found = [_profile_out(p, current.event, language, sessions[p.public_id], base_url)
             for p in profiles.values()]
    return sorted(found, key=lambda p: (fold(p["name"]), p["id"]))


def speaker_detail(session: Session, current: View, public_id: str, *, language: str,
                   base_url: str) -> dict[str, Any]:
    found = speakers(session, current, language=language, base_url=base_url, only=public_id)
    if not found:
        raise NotFound("No such speaker in the published program.",
                       code=errors.SPEAKER_NOT_FOUND)
    return found[0]
