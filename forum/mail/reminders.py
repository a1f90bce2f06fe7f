"""The reminder the day before the forum, once per confirmed participant.

The mark comes first: one INSERT … SELECT puts a ``mail_reminder`` row for up to ``CHUNK``
confirmed people who have none (ON CONFLICT DO NOTHING, RETURNING the ids it wrote) and only
those get a message, in the same transaction; a run repeats that until nobody is left, so no
transaction holds SQLite's write lock for long (20,000 people in one took over a minute, past
a registration's 30 s busy timeout). A second run, on this host or another, finds them marked:
on PostgreSQL its INSERT waits on the first one's uncommitted keys and then skips them; on
SQLite the transactions begin IMMEDIATE, so runs take turns. People confirmed after a run are
unmarked and get theirs on the next run.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from forum import db as dbmod
from forum.events.models import Event
from forum.mail import messages
from forum.mail.models import Reminder
from forum.registration.models import Participant, Status
from forum.registration.notices import Notice
from forum.registration.service import erased

CHUNK = 500


def reminder_day(event: Event) -> date:
    return event.starts_on - timedelta(days=1)


def local_today(event: Event, now: datetime) -> date:
    return now.astimezone(ZoneInfo(event.timezone)).date()


def is_due(event: Event, now: datetime) -> bool:
    """Whether it is the day before the forum in the event's time zone."""
    return local_today(event, now) == reminder_day(event)


def _unmarked(event: Event):
    marked = select(Reminder.participant_id).where(Reminder.participant_id == Participant.id)
    return (Participant.event_id == event.id, Participant.status == Status.CONFIRMED,
            ~erased(), ~marked.exists())


def _mark(session: Session, event: Event, *, now: datetime, limit: int) -> list[int]:
    """Mark up to ``limit`` confirmed, unmarked people of the event; the ids marked here."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    people = (select(Participant.id, literal(event.id), literal(now, Reminder.created_at.type))
              .where(*_unmarked(event)).order_by(Participant.id).limit(limit))
    statement = (insert(Reminder).from_select(["participant_id", "event_id", "created_at"],
                                              people)
                 .on_conflict_do_nothing(index_elements=["participant_id"])
                 .returning(Reminder.participant_id))
    return sorted(session.execute(statement).scalars())


def send_reminders(session: Session, event: Event, *, now: datetime, limit: int | None = None
                   ) -> int:
    """Queue up to ``limit`` (CHUNK) reminders not queued yet (the caller commits)."""
    marked = _mark(session, event, now=now, limit=limit or CHUNK)
    people = session.scalars(select(Participant).where(Participant.id.in_(marked))
                             .options(selectinload(Participant.category)))
    for participant in people:
        messages.enqueue_notice(session, participant, Notice.REMINDER, now=now)
    return len(marked)


def _anyone_left(session: Session, event: Event) -> bool:
    return session.scalar(select(select(Participant.id).where(*_unmarked(event)).exists()))


def run(session: Session, event: Event, *, now: datetime) -> int | None:
    """The command's work for one event, a transaction per chunk: how many reminders were
    queued, or None when it is not the day before the forum."""
    if not is_due(event, now):
        return None
    event_id, queued = event.id, 0
    session.commit()  # each marking transaction must begin IMMEDIATE on SQLite
    with dbmod.sqlite_begin_mode("BEGIN IMMEDIATE"):
        while True:
            found = session.get(Event, event_id)
            marked = send_reminders(session, found, now=now)
            # Nobody marked: done, unless another run held those people (our INSERT waited
            # for it to commit, so the next round no longer sees them).
            left = marked > 0 or _anyone_left(session, found)
            session.commit()
            queued += marked
            if not left:
                break
    return queued
