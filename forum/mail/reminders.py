"""The reminder the day before the forum, once per confirmed participant.

The mark comes first: one INSERT … SELECT puts a ``mail_reminder`` row for every confirmed
person who has none (ON CONFLICT DO NOTHING, RETURNING the ids it wrote) and only those get a
message, in the same transaction. A second run, on this host or another, finds them marked:
on PostgreSQL its INSERT waits on the first one's uncommitted keys and then skips them; on
SQLite the transaction begins IMMEDIATE, so runs take turns. People confirmed after a run are
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


def _mark(session: Session, event: Event, *, now: datetime) -> list[int]:
    """Mark every confirmed, unmarked person of the event; the ids marked by this call."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    people = select(Participant.id, literal(event.id), literal(now, Reminder.created_at.type)
                    ).where(Participant.event_id == event.id,
                            Participant.status == Status.CONFIRMED, ~erased())
    statement = (insert(Reminder).from_select(["participant_id", "event_id", "created_at"],
                                              people)
                 .on_conflict_do_nothing(index_elements=["participant_id"])
                 .returning(Reminder.participant_id))
    return sorted(session.execute(statement).scalars())


def send_reminders(session: Session, event: Event, *, now: datetime) -> int:
    """Queue the reminders not queued yet (the caller checks ``is_due`` and commits)."""
    marked = _mark(session, event, now=now)
    for start in range(0, len(marked), CHUNK):
        people = session.scalars(
            select(Participant).where(Participant.id.in_(marked[start:start + CHUNK]))
            .options(selectinload(Participant.category)))
        for participant in people:
            messages.enqueue_notice(session, participant, Notice.REMINDER, now=now)
    return len(marked)


def run(session: Session, event: Event, *, now: datetime) -> int | None:
    """The command's work for one event, in its own transaction: how many reminders were
    queued, or None when it is not the day before the forum."""
    if not is_due(event, now):
        return None
    event_id = event.id
    session.commit()  # the marking transaction must begin IMMEDIATE on SQLite
    with dbmod.sqlite_begin_mode("BEGIN IMMEDIATE"):
        queued = send_reminders(session, session.get(Event, event_id), now=now)
        session.commit()
    return queued
