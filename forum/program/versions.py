"""Schedule versions: publishing freezes the program, with a changelog against the last one.

The snapshot holds every session whose status is ``published``, and the cancelled sessions
that an earlier version showed (so the agenda and calendars can say "cancelled"), in a
language-neutral form: all texts in every language, times in UTC. Speakers appear by id and
role only; their public profiles are read live, so a withdrawn consent takes effect at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forum.errors import Conflict
from forum.events.models import Event
from forum.program import conflicts, errors
from forum.program.models import ProgramSession, ScheduleVersion, SessionStatus
from forum.program.service import list_sessions, record


def latest(session: Session, event: Event) -> ScheduleVersion | None:
    return session.scalar(select(ScheduleVersion).where(ScheduleVersion.event_id == event.id)
                          .order_by(ScheduleVersion.number.desc()).limit(1))


def history(session: Session, event: Event) -> Sequence[ScheduleVersion]:
    return session.scalars(select(ScheduleVersion).where(ScheduleVersion.event_id == event.id)
                           .order_by(ScheduleVersion.number.desc())).all()


def frozen(item: ProgramSession) -> dict[str, Any]:
    """One session as a snapshot keeps it."""
    room, track = item.room, item.track
    return {
        "id": item.public_id, "title": dict(item.title), "description": dict(item.description),
        "kind": item.kind.value, "starts_at": item.starts_at.isoformat(),
        "ends_at": item.ends_at.isoformat(),
        "room": {"slug": room.slug, "name": dict(room.name), "location": room.location,
                 "interpretation": room.interpretation},
        "track": ({"slug": track.slug, "name": dict(track.name), "colour": track.colour}
                  if track else None),
        "language": item.language.value, "capacity": item.seats, "bookable": item.bookable,
        "status": item.status.value,
        "speakers": [{"id": link.speaker.public_id, "role": link.role.value}
                     for link in item.speakers],
    }


def snapshot(session: Session, event: Event, previous: ScheduleVersion | None
             ) -> dict[str, Any]:
    shown = {s["id"] for s in previous.snapshot["sessions"]} if previous else set()
    items = [item for item in list_sessions(session, event)
             if item.status is SessionStatus.PUBLISHED
             or (item.status is SessionStatus.CANCELLED and item.public_id in shown)]
    items.sort(key=lambda i: (i.starts_at, i.room.position, i.room.slug, i.public_id))
    return {"sessions": [frozen(item) for item in items]}


def _times(entry: dict[str, Any]) -> dict[str, str]:
    return {"starts_at": entry["starts_at"], "ends_at": entry["ends_at"]}


def changelog(previous: dict[str, Any] | None, current: dict[str, Any]) -> dict[str, list]:
    """What changed for the public: sessions added, cancelled (or withdrawn), moved in time,
    moved to another room. The first version adds everything."""
    before = {s["id"]: s for s in (previous or {"sessions": []})["sessions"]}
    log: dict[str, list] = {"added": [], "cancelled": [], "moved": [], "room_changed": []}
    now_ids = set()
    for entry in current["sessions"]:
        now_ids.add(entry["id"])
        old = before.get(entry["id"])
        named = {"id": entry["id"], "title": entry["title"]}
        was_live = old is not None and old["status"] != SessionStatus.CANCELLED.value
        if entry["status"] == SessionStatus.CANCELLED.value:
            if was_live:
                log["cancelled"].append(named)
            continue
        if not was_live:
            log["added"].append(named)
            continue
        if _times(old) != _times(entry):
            log["moved"].append({**named, "from": _times(old), "to": _times(entry)})
        if old["room"]["slug"] != entry["room"]["slug"]:
            log["room_changed"].append({**named, "from": old["room"]["slug"],
                                        "to": entry["room"]["slug"]})
    for session_id, old in before.items():
        if session_id not in now_ids and old["status"] != SessionStatus.CANCELLED.value:
            log["cancelled"].append({"id": session_id, "title": old["title"]})
    return log


def publish(session: Session, *, event: Event, name: str, note: str = "", now: datetime,
            actor: str) -> ScheduleVersion:
    """Freeze the program as a named version; refused while it has conflicts, when the name
    was used, or when nothing changed since the last version."""
    if session.scalar(select(ScheduleVersion.id).where(
            ScheduleVersion.event_id == event.id, ScheduleVersion.name == name)) is not None:
        raise Conflict(f"A version named '{name}' was already published.",
                       code=errors.VERSION_EXISTS)
    found = [w for w in conflicts.warnings(session, event)
             if w["code"] in errors.CONFLICT_CODES]
    if found:
        raise Conflict("Resolve the program's conflicts before publishing.",
                       code=errors.PROGRAM_HAS_CONFLICTS, title="The program has conflicts",
                       extra={"warnings": found})
    previous = latest(session, event)
    current = snapshot(session, event, previous)
    if (previous is None and not current["sessions"]) or (
            previous is not None and previous.snapshot == current):
        raise Conflict("Nothing changed since the last published version.",
                       code=errors.NOTHING_TO_PUBLISH)
    log = changelog(previous.snapshot if previous else None, current)
    # The number is unique per event: of two publishes at once, the second fails there.
    version = ScheduleVersion(event_id=event.id, number=(previous.number if previous else 0) + 1,
                              name=name, note=note, published_at=now, published_by=actor,
                              snapshot=current, changelog=log)
    session.add(version)
    session.flush()
    record(session, event=event, action="program.publish", target_type="schedule_version",
           target_id=version.public_id, actor=actor, now=now,
           name=name, number=version.number, changes={k: len(v) for k, v in log.items()})
    return version
