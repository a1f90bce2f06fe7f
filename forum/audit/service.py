"""Recording of audit entries (every organizer or self-service change writes one), the
search of the log, and the stripping of personal data from it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, false, func, insert, or_, select, update
from sqlalchemy.orm import Session

from forum.audit.errors import INVALID_PERIOD
from forum.audit.models import AuditEntry
from forum.errors import ValidationFailed
from forum.events.models import Event

_INSERT = insert(AuditEntry)
_TABLE = AuditEntry.__table__
_SET_DATA = (update(_TABLE).where(_TABLE.c.id == bindparam("entry_id"))
             .values(data=bindparam("new_data")))
VIEW_ACTION = "participant.view"


def record(session: Session, *, actor: str, action: str, target_type: str, target_id: str,
           now: datetime, event_id: int | None = None, data: dict[str, Any] | None = None,
           ) -> None:
    """Write an entry in the caller's transaction (it lands or rolls back with the change).

    A plain INSERT on the session's connection: entries are never read back in the same
    request, so they need no ORM identity, and this runs on every registration.
    """
    session.connection().execute(_INSERT, {
        "actor": actor, "action": action, "target_type": target_type, "target_id": target_id,
        "event_id": event_id, "data": data or {}, "at": now,
    })


def record_view(session: Session, *, actor: str, event_id: int, participant_public_id: str,
                now: datetime, what: str) -> None:
    """Log that staff opened someone's personal data (``what``: "detail", "badge", …).

    ``actor`` is the audit name of the viewer (``Actor.ref``).
    """
    record(session, actor=actor, action=VIEW_ACTION, target_type="participant",
           target_id=participant_public_id, event_id=event_id, now=now, data={"what": what})


# --- search ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class AuditFilter:
    """What to look for; every given filter must hold."""

    person: str | None = None  # a participant id, or text found in the subject's id
    actor: str | None = None  # a fragment of the actor ("account:abc", "system")
    action: str | None = None  # a prefix ("participant.", "registration.cancel")
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    without_event: bool = False  # only entries of no event (sign-ins, accounts)


@dataclass(frozen=True)
class Item:
    """One entry as the log shows it."""

    at: datetime
    actor: str
    action: str
    subject: dict[str, str]
    data: dict[str, Any]
    event: str | None  # the event's slug


def _person(text: str, people: Select | None) -> ColumnElement[bool]:
    """Entries about the person or done by them; ``people`` (participant ids whose name or
    email matches the text) comes from the caller, which knows the participant table."""
    text = text.strip()
    terms = [AuditEntry.target_id.contains(text, autoescape=True),
             AuditEntry.actor == f"participant:{text}"]
    if people is not None:
        terms.append((AuditEntry.target_type == "participant")
                     & AuditEntry.target_id.in_(people))
    return or_(*terms)


def conditions(filters: AuditFilter, *, event_id: int | None,
               people: Select | None = None) -> list[ColumnElement[bool]]:
    """The WHERE terms of a search (``event_id`` None: every event, and none)."""
    if filters.since and filters.until and filters.since >= filters.until:
        raise ValidationFailed("The period ends before it starts.", code=INVALID_PERIOD,
                               errors={"until": ["Must be later than since."]})
    where: list[ColumnElement[bool]] = []
    if event_id is not None:
        where.append(AuditEntry.event_id == event_id)
    if filters.without_event:
        where.append(AuditEntry.event_id.is_(None) if event_id is None else false())
    if filters.person:
        where.append(_person(filters.person, people))
    if filters.actor:
        where.append(AuditEntry.actor.contains(filters.actor.strip(), autoescape=True))
    if filters.action:
        where.append(AuditEntry.action.startswith(filters.action.strip(), autoescape=True))
    if filters.since:
        where.append(AuditEntry.at >= filters.since)
    if filters.until:
        where.append(AuditEntry.at < filters.until)
    return where


def search(session: Session, filters: AuditFilter, *, event_id: int | None, page: int,
           per_page: int, people: Select | None = None) -> tuple[list[Item], int]:
    """A page of matching entries, newest first, and how many match in all."""
    where = conditions(filters, event_id=event_id, people=people)
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
    rows = session.execute(
        select(AuditEntry, Event.slug).outerjoin(Event, Event.id == AuditEntry.event_id)
        .where(*where).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page).limit(per_page))
    items = [Item(at=e.at, actor=e.actor, action=e.action,
                  subject={"type": e.target_type, "id": e.target_id}, data=e.data or {},
                  event=slug) for e, slug in rows]
    return items, total


# --- personal data ---------------------------------------------------------------------------

def _stripped(value: Any, keys: frozenset[str]) -> Any:
    """The value with every field named in ``keys`` blanked, at any depth (``before`` and
    ``after`` of a correction keep which fields changed, not what they held)."""
    if isinstance(value, dict):
        return {k: (None if v else v) if k in keys else _stripped(v, keys)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_stripped(v, keys) for v in value]
    return value


def strip_personal_data(session: Session, *, keys: Iterable[str],
                        where: Iterable[ColumnElement[bool]], dry_run: bool = False) -> int:
    """Blank the named fields in the data of the matching entries (the entries stay);
    returns how many entries held any (and, unless ``dry_run``, no longer do)."""
    names = frozenset(keys)
    changed = []
    for entry_id, data in session.execute(select(AuditEntry.id, AuditEntry.data)
                                          .where(*where).order_by(AuditEntry.id)):
        clean = _stripped(data or {}, names)
        if clean != (data or {}):
            changed.append({"entry_id": entry_id, "new_data": clean})
    if changed and not dry_run:
        session.connection().execute(_SET_DATA, changed)
    return len(changed)


def about(target_type: str, target_id: str) -> list[ColumnElement[bool]]:
    """The WHERE terms of the entries about one record."""
    return [AuditEntry.target_type == target_type, AuditEntry.target_id == target_id]
