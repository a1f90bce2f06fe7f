"""Rooms, tracks and sessions: the organizers' program work.

A session is saved only when it breaks no conflict rule (forum.program.conflicts). Two saves
at once must not both book one room slot or one speaker: each save first locks its session's
row, then the target room's row, then its speakers' rows in id order (``SELECT … FOR UPDATE``
on PostgreSQL; SQLite's writers hold the database write lock from ``BEGIN IMMEDIATE``), and
only then reads the overlapping sessions. The fixed lock order keeps it deadlock-free.
Every change writes an audit entry with the changed fields before and after.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from forum.audit import service as audit
from forum.errors import Conflict, NotFound, ValidationFailed
from forum.events.models import Event
from forum.program import conflicts, errors
from forum.program.models import (
    Language,
    ProgramSession,
    Room,
    SessionKind,
    SessionSpeaker,
    SessionStatus,
    Speaker,
    SpeakerRole,
    Track,
)

ROOM_FIELDS = ("slug", "name", "capacity", "location", "interpretation", "opens_at",
               "closes_at", "position")
TRACK_FIELDS = ("slug", "name", "colour", "position")


def record(session: Session, *, event: Event, action: str, target_type: str, target_id: str,
           actor: str, now: datetime, **data: Any) -> None:
    audit.record(session, actor=actor, action=action, target_type=target_type,
                 target_id=target_id, event_id=event.id, now=now, data=data)


def _plain(value: Any) -> Any:
    """A value as an audit entry stores it (JSON)."""
    if hasattr(value, "isoformat"):  # datetimes, dates, opening times
        return value.isoformat()
    return value


def _apply(obj: Any, changes: dict[str, Any], allowed: Sequence[str]
           ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set the fields that differ; returns (before, after) of those fields, as JSON."""
    changed = {k: v for k, v in changes.items() if k in allowed and getattr(obj, k) != v}
    before = {k: _plain(getattr(obj, k)) for k in changed}
    for key, value in changed.items():
        setattr(obj, key, value)
    return before, {k: _plain(v) for k, v in changed.items()}


# --- rooms ---------------------------------------------------------------------------------

def rooms(session: Session, event: Event) -> Sequence[Room]:
    return session.scalars(select(Room).where(Room.event_id == event.id)
                           .order_by(Room.position, Room.slug)).all()


def get_room(session: Session, event: Event, slug: str, *, for_update: bool = False) -> Room:
    query = select(Room).where(Room.event_id == event.id, Room.slug == slug)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    room = session.scalar(query)
    if room is None:
        raise NotFound(f"No room '{slug}'.", code=errors.ROOM_NOT_FOUND)
    return room


def _slug_free(session: Session, model: type[Room] | type[Track], event: Event, slug: str
               ) -> None:
    if session.scalar(select(model.id).where(model.event_id == event.id,
                                             model.slug == slug)) is not None:
        code = errors.ROOM_EXISTS if model is Room else errors.TRACK_EXISTS
        raise Conflict(f"The slug '{slug}' is taken at this event.", code=code)


def create_room(session: Session, *, event: Event, data: dict[str, Any], now: datetime,
                actor: str) -> Room:
    _slug_free(session, Room, event, data["slug"])
    room = Room(event_id=event.id, **{k: v for k, v in data.items() if k in ROOM_FIELDS})
    session.add(room)
    session.flush()
    record(session, event=event, action="room.create", target_type="room", target_id=room.slug,
           actor=actor, now=now, after={k: _plain(getattr(room, k)) for k in ROOM_FIELDS})
    return room


def update_room(session: Session, room: Room, changes: dict[str, Any], *, event: Event,
                now: datetime, actor: str) -> Room:
    """Edit a room; a capacity or opening hours its planned sessions no longer fit is refused
    with the rule's 409 (the session named)."""
    if changes.get("slug", room.slug) != room.slug:
        _slug_free(session, Room, event, changes["slug"])
    slug = room.slug
    before, after = _apply(room, changes, ROOM_FIELDS)
    if not after:
        return room
    if room.opens_at and room.closes_at and room.closes_at != time() \
            and room.closes_at <= room.opens_at:
        raise ValidationFailed("The room would close before it opens.",
                               errors={"closes_at": ["Must be later than opens_at."]})
    planned = session.scalars(
        select(ProgramSession).options(selectinload(ProgramSession.speakers))
        .where(ProgramSession.room_id == room.id,
               ProgramSession.status != SessionStatus.CANCELLED)).all()
    for item in planned:
        found = conflicts.problems(item, (), event)  # its own rules: capacity and hours
        if found:
            raise found[0].error()
    session.flush()
    record(session, event=event, action="room.update", target_type="room", target_id=slug,
           actor=actor, now=now, before=before, after=after)
    return room


def _in_use(session: Session, column, value: int) -> bool:
    return bool(session.scalar(select(func.count()).select_from(ProgramSession)
                               .where(column == value)))


def delete_room(session: Session, room: Room, *, event: Event, now: datetime,
                actor: str) -> None:
    if _in_use(session, ProgramSession.room_id, room.id):
        raise Conflict("Sessions are planned in this room; move or delete them first.",
                       code=errors.ROOM_IN_USE)
    record(session, event=event, action="room.delete", target_type="room", target_id=room.slug,
           actor=actor, now=now, before={"slug": room.slug, "name": room.name})
    session.delete(room)
    session.flush()


# --- tracks --------------------------------------------------------------------------------

def tracks(session: Session, event: Event) -> Sequence[Track]:
    return session.scalars(select(Track).where(Track.event_id == event.id)
                           .order_by(Track.position, Track.slug)).all()


def get_track(session: Session, event: Event, slug: str) -> Track:
    track = session.scalar(select(Track).where(Track.event_id == event.id, Track.slug == slug))
    if track is None:
        raise NotFound(f"No track '{slug}'.", code=errors.TRACK_NOT_FOUND)
    return track


def create_track(session: Session, *, event: Event, data: dict[str, Any], now: datetime,
                 actor: str) -> Track:
    _slug_free(session, Track, event, data["slug"])
    track = Track(event_id=event.id, **{k: v for k, v in data.items() if k in TRACK_FIELDS})
    session.add(track)
    session.flush()
    record(session, event=event, action="track.create", target_type="track",
           target_id=track.slug, actor=actor, now=now,
           after={k: getattr(track, k) for k in TRACK_FIELDS})
    return track


def update_track(session: Session, track: Track, changes: dict[str, Any], *, event: Event,
                 now: datetime, actor: str) -> Track:
    if changes.get("slug", track.slug) != track.slug:
        _slug_free(session, Track, event, changes["slug"])
    slug = track.slug
    before, after = _apply(track, changes, TRACK_FIELDS)
    if after:
        session.flush()
        record(session, event=event, action="track.update", target_type="track",
               target_id=slug, actor=actor, now=now, before=before, after=after)
    return track


def delete_track(session: Session, track: Track, *, event: Event, now: datetime,
                 actor: str) -> None:
    if _in_use(session, ProgramSession.track_id, track.id):
        raise Conflict("Sessions belong to this track; move or delete them first.",
                       code=errors.TRACK_IN_USE)
    record(session, event=event, action="track.delete", target_type="track",
           target_id=track.slug, actor=actor, now=now, before={"slug": track.slug})
    session.delete(track)
    session.flush()


# --- sessions ------------------------------------------------------------------------------

def _with_links():
    return (selectinload(ProgramSession.speakers).selectinload(SessionSpeaker.speaker),
            selectinload(ProgramSession.room), selectinload(ProgramSession.track))


def list_sessions(session: Session, event: Event, *, status: SessionStatus | None = None
                  ) -> Sequence[ProgramSession]:
    query = (select(ProgramSession).options(*_with_links())
             .where(ProgramSession.event_id == event.id)
             .order_by(ProgramSession.starts_at, ProgramSession.id))
    if status is not None:
        query = query.where(ProgramSession.status == status)
    return session.scalars(query).all()


def get_session(session: Session, event: Event, public_id: str, *, for_update: bool = False
                ) -> ProgramSession:
    query = select(ProgramSession).options(*_with_links()).where(
        ProgramSession.event_id == event.id, ProgramSession.public_id == public_id)
    if for_update:
        query = query.with_for_update(of=ProgramSession).execution_options(
            populate_existing=True)
    item = session.scalar(query)
    if item is None:
        raise NotFound("No such session.", code=errors.SESSION_NOT_FOUND)
    return item


def state(item: ProgramSession) -> dict[str, Any]:
    """A session's fields as its audit entries record them."""
    return {"title": item.title, "description": item.description, "kind": item.kind.value,
            "starts_at": item.starts_at.isoformat(), "ends_at": item.ends_at.isoformat(),
            "room": item.room.slug, "track": item.track.slug if item.track else None,
            "language": item.language.value, "capacity": item.capacity,
            "bookable": item.bookable, "status": item.status.value,
            "speakers": [[link.speaker.public_id, link.role.value] for link in item.speakers]}


def _speaker_links(session: Session, event: Event, wanted: list[dict[str, Any]]
                   ) -> list[SessionSpeaker]:
    ids = [entry["speaker"] for entry in wanted]
    found = {s.public_id: s for s in session.scalars(
        select(Speaker).where(Speaker.event_id == event.id, Speaker.public_id.in_(ids)))}
    messages: dict[str, list[str]] = {}
    for n, entry in enumerate(wanted):
        if entry["speaker"] not in found:
            messages[f"speakers.{n}.speaker"] = ["No such speaker at this event."]
        elif ids.index(entry["speaker"]) != n:
            messages[f"speakers.{n}.speaker"] = ["The speaker is listed twice."]
    if messages:
        raise ValidationFailed("The speakers are not valid.", errors=messages)
    return [SessionSpeaker(speaker_id=found[e["speaker"]].id, speaker=found[e["speaker"]],
                           role=SpeakerRole(e.get("role", "speaker")), position=n)
            for n, e in enumerate(wanted)]


def _assign(session: Session, event: Event, item: ProgramSession, data: dict[str, Any]
            ) -> None:
    """Put the given fields on the session, resolving rooms, tracks and speakers by name."""
    messages: dict[str, list[str]] = {}
    if "room" in data:
        room = session.scalar(select(Room).where(Room.event_id == event.id,
                                                 Room.slug == data["room"]))
        if room is None:
            messages["room"] = ["No such room at this event."]
        else:
            item.room, item.room_id = room, room.id
    if "track" in data:
        track = data["track"] and session.scalar(
            select(Track).where(Track.event_id == event.id, Track.slug == data["track"]))
        if data["track"] and track is None:
            messages["track"] = ["No such track at this event."]
        else:
            item.track, item.track_id = track or None, track.id if track else None
    for key in ("title", "description", "starts_at", "ends_at", "capacity", "bookable"):
        if key in data:
            setattr(item, key, data[key])
    for key, enum in (("kind", SessionKind), ("language", Language),
                      ("status", SessionStatus)):
        if key in data:
            setattr(item, key, enum(data[key]))
    if item.starts_at and item.ends_at and item.ends_at <= item.starts_at:
        messages["ends_at"] = ["Must be later than starts_at."]
    if messages:
        raise ValidationFailed("The session is not valid.", errors=messages)
    if "speakers" in data:
        item.speakers = _speaker_links(session, event, data["speakers"])


def _lock_and_check(session: Session, item: ProgramSession, event: Event) -> None:
    """Lock the room and the speakers (that order, speakers by id), then apply the rules."""
    with session.no_autoflush:
        session.execute(select(Room.id).where(Room.id == item.room_id).with_for_update())
        speaker_ids = sorted(link.speaker_id for link in item.speakers)
        if speaker_ids:
            session.execute(select(Speaker.id).where(Speaker.id.in_(speaker_ids))
                            .order_by(Speaker.id).with_for_update())
        conflicts.check(session, item, event)


def create_session(session: Session, *, event: Event, data: dict[str, Any], now: datetime,
                   actor: str) -> ProgramSession:
    """Plan a session (a draft unless ``status`` says otherwise); 409 on a conflict."""
    item = ProgramSession(event_id=event.id, event=event, description={}, bookable=False,
                          status=SessionStatus.DRAFT, created_at=now, updated_at=now)
    item.speakers = []
    _assign(session, event, item, data)
    _lock_and_check(session, item, event)
    session.add(item)
    session.flush()
    record(session, event=event, action="session.create", target_type="session",
           target_id=item.public_id, actor=actor, now=now, after=state(item))
    return item


def update_session(session: Session, item: ProgramSession, changes: dict[str, Any], *,
                   event: Event, now: datetime, actor: str) -> ProgramSession:
    """Change a session (fetched ``for_update``); the changed session is checked in full."""
    before = state(item)
    _assign(session, event, item, changes)
    after = state(item)
    if after == before:
        return item
    _lock_and_check(session, item, event)
    item.updated_at = now
    session.flush()
    changed = [k for k in after if after[k] != before[k]]
    record(session, event=event, action="session.update", target_type="session",
           target_id=item.public_id, actor=actor, now=now,
           before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return item


def delete_session(session: Session, item: ProgramSession, *, event: Event, now: datetime,
                   actor: str) -> None:
    """Remove a session; once published, a later version lists it as cancelled."""
    record(session, event=event, action="session.delete", target_type="session",
           target_id=item.public_id, actor=actor, now=now, before=state(item))
    session.delete(item)
    session.flush()
