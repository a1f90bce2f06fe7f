"""A participant's personal agenda: bookmarked sessions and a secret calendar feed.

Calendar apps cannot send headers, so the feed's URL carries its own read-only token (the
manage token never sits in a calendar). The token is derived, not stored: an HMAC of the
participant's public id and a generation number under the app's secret key, so the agenda's
answer can show the URL again; the database keeps only the token's SHA-256 (to find the feed
by it) and the generation. Rotating bumps the generation: the old URL answers 404 at once.
A stolen database alone reveals no token. Changing the secret key changes every feed URL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from forum.errors import Conflict, NotFound, ValidationFailed
from forum.program import bookings, errors, ical, public
from forum.program.models import AgendaEntry, PersonalCalendar, ProgramSession, ScheduleVersion
from forum.registration.models import ACTIVE_STATUSES, Participant
from forum.tokens import token_hash

MAX_SESSIONS = 500


def _active(participant: Participant) -> None:
    if participant.status not in ACTIVE_STATUSES:
        raise Conflict("A cancelled or rejected registration has no agenda.",
                       code="registration_inactive")


def calendar_token(participant: Participant, generation: int, *, secret: bytes) -> str:
    mac = hmac.new(secret, f"calendar:{participant.public_id}:{generation}".encode(),
                   hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _calendar(session: Session, participant: Participant, *, now: datetime,
              secret: bytes) -> str:
    """The feed token, its row written on first need."""
    row = session.get(PersonalCalendar, participant.id)
    if row is None:
        row = PersonalCalendar(participant_id=participant.id, generation=1, created_at=now,
                               token_hash="")
        session.add(row)
    token = calendar_token(participant, row.generation, secret=secret)
    if row.token_hash != token_hash(token):  # a new row, or a new secret key
        row.token_hash = token_hash(token)
        session.flush()
    return token


def rotate_calendar(session: Session, participant: Participant, *, now: datetime,
                    secret: bytes) -> str:
    """A new feed token; the old URL stops at once."""
    _active(participant)
    row = session.get(PersonalCalendar, participant.id, with_for_update=True)
    if row is not None:
        row.generation += 1
        row.created_at = now
    return _calendar(session, participant, now=now, secret=secret)


def sessions(session: Session, participant: Participant) -> list[str]:
    """The bookmarked sessions that the latest published version still shows, in order."""
    shown = {e["id"] for e in public.published_sessions(session, participant.event)}
    ids = session.scalars(
        select(ProgramSession.public_id)
        .join(AgendaEntry, AgendaEntry.session_id == ProgramSession.id)
        .where(AgendaEntry.participant_id == participant.id)
        .order_by(AgendaEntry.position))
    return [i for i in ids if i in shown]


def agenda(session: Session, participant: Participant, *, now: datetime, secret: bytes
           ) -> tuple[list[str], str]:
    """The bookmarks and the calendar token."""
    _active(participant)
    return sessions(session, participant), _calendar(session, participant, now=now,
                                                     secret=secret)


def replace(session: Session, participant: Participant, wanted: Sequence[str], *,
            now: datetime, secret: bytes) -> tuple[list[str], str]:
    """Set the bookmarks to ``wanted`` (ids of the latest published version)."""
    _active(participant)
    if len(wanted) > MAX_SESSIONS:
        raise ValidationFailed(errors={"sessions": [f"At most {MAX_SESSIONS} sessions."]})
    shown = {e["id"] for e in public.published_sessions(session, participant.event)}
    ordered = list(dict.fromkeys(wanted))
    rows = dict(session.execute(select(ProgramSession.public_id, ProgramSession.id).where(
        ProgramSession.event_id == participant.event_id,
        ProgramSession.public_id.in_(ordered))).all()) if ordered else {}
    unknown = [i for i in ordered if i not in shown or i not in rows]
    if unknown:
        raise ValidationFailed("Some sessions are not in the published program.", errors={
            "sessions": [f"Unknown session '{i}'." for i in unknown]})
    session.execute(delete(AgendaEntry).where(AgendaEntry.participant_id == participant.id))
    session.add_all([AgendaEntry(participant_id=participant.id, session_id=rows[i], position=n)
                     for n, i in enumerate(ordered)])
    session.flush()
    return ordered, _calendar(session, participant, now=now, secret=secret)


def forget(session: Session, participant: Participant) -> None:
    """A cancelled registration: bookmarks and the feed go."""
    session.execute(delete(AgendaEntry).where(AgendaEntry.participant_id == participant.id))
    session.execute(delete(PersonalCalendar)
                    .where(PersonalCalendar.participant_id == participant.id))


def feed_owner(session: Session, token: str) -> Participant:
    """The participant of a calendar token; 404 when unknown, rotated or cancelled."""
    participant = session.scalar(
        select(Participant).join(PersonalCalendar,
                                 PersonalCalendar.participant_id == Participant.id)
        .where(PersonalCalendar.token_hash == token_hash(token)))
    if participant is None or participant.status not in ACTIVE_STATUSES:
        raise NotFound("No such calendar.", code=errors.CALENDAR_NOT_FOUND)
    return participant


def feed(session: Session, participant: Participant, *, base_url: str) -> bytes:
    """The iCalendar of the bookmarked and booked sessions, from the latest version."""
    event = participant.event
    head = session.execute(
        select(ScheduleVersion.number, ScheduleVersion.published_at)
        .where(ScheduleVersion.event_id == event.id)
        .order_by(ScheduleVersion.number.desc()).limit(1)).first()
    wanted = set(sessions(session, participant))
    booked = bookings.booked_session_ids(session, participant)
    if booked:
        wanted |= set(session.scalars(select(ProgramSession.public_id)
                                      .where(ProgramSession.id.in_(booked))))
    entries = [e for e in public.published_sessions(session, event) if e["id"] in wanted]
    profiles = public._profiles(session, event, {s["id"] for e in entries
                                                 for s in e["speakers"]})
    language = participant.locale.value
    name = {"kk": "Менің күн тәртібім", "ru": "Моя программа"}.get(language, "My agenda")
    return ical.build_calendar(
        event, entries, language, f"{event.name}: {name}",
        speakers={i: p.name for i, p in profiles.items()},
        published_at=head.published_at if head else event.created_at,
        sequence=head.number if head else 0, base_url=base_url)


def registration_cancelled(session: Session, participant: Participant, *, now: datetime
                           ) -> None:
    """The cancel hook of ``forum.registration.service``: seats freed (the waitlists
    promoted), bookmarks and the calendar feed gone."""
    bookings.release_all(session, participant, now=now)
    forget(session, participant)
