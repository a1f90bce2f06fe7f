"""The outbox's rules: enqueue in the caller's transaction, claim with a lease, record the
outcome, back off, give up loudly, retry on an organizer's word, and forget old bodies.

Claims never hand one row to two workers: on PostgreSQL the due rows are locked with
``FOR UPDATE SKIP LOCKED`` (a second worker skips them instead of waiting); on SQLite the
claiming transaction begins IMMEDIATE, so claims run one at a time.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, insert, or_, select, update
from sqlalchemy.orm import Session

from forum.db import opaque_id
from forum.errors import Conflict, NotFound
from forum.mail.errors import MESSAGE_NOT_FOUND, NOT_FAILED
from forum.mail.models import MessageStatus, OutboxMessage

# First retry after a minute, then 2, 4, 8 … minutes, never more than six hours apart.
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
# Longer than an SMTP conversation can take (its timeout is 30 s by default).
LEASE = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """The pause after the ``attempts``-th failed attempt."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


_INSERT = insert(OutboxMessage.__table__)


def enqueue(session: Session, *, to: str, kind: str, now: datetime, event_id: int | None,
            participant_id: int | None = None, locale: str = "en", subject: str = "",
            body_text: str = "", body_html: str = "", link_sealed: bytes | None = None,
            with_badge: bool = False, public_id: str | None = None,
            webhook_id: int | None = None) -> str:
    """Add a message to the caller's transaction (sent only if that one commits); returns its
    public id. A plain INSERT, as audit entries are: it runs on every registration."""
    public_id = public_id or opaque_id()
    session.connection().execute(_INSERT, {
        "public_id": public_id, "event_id": event_id, "participant_id": participant_id,
        "kind": kind, "webhook_id": webhook_id, "locale": locale, "to_address": to,
        "subject": subject, "body_text": body_text, "body_html": body_html,
        "link_sealed": link_sealed,
        "with_badge": with_badge, "status": MessageStatus.PENDING, "attempts": 0,
        "next_attempt_at": now, "lease_until": None, "claim_token": None, "last_error": "",
        "created_at": now, "sent_at": None, "purged_at": None})
    return public_id


def _due(now: datetime):
    return (OutboxMessage.status == MessageStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until <= now))


def claim(session: Session, *, now: datetime, webhooks_only: bool = False
          ) -> OutboxMessage | None:
    """Take the oldest due message for this worker (the caller commits the claim at once);
    ``webhooks_only``: webhook deliveries only (no SMTP server is configured)."""
    where = _due(now)
    if webhooks_only:
        where = (*where, OutboxMessage.webhook_id.is_not(None))
    query = (select(OutboxMessage).where(*where)
             .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(1))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    message = session.scalar(query)
    if message is None:
        return None
    message.lease_until = now + LEASE
    message.claim_token = secrets.token_urlsafe(12)
    message.attempts += 1
    session.flush()
    return message


def _still_mine(session: Session, message_id: int, claim_token: str) -> OutboxMessage | None:
    """The claimed row, unless its lease ran out and another worker took it since."""
    query = select(OutboxMessage).where(OutboxMessage.id == message_id,
                                        OutboxMessage.claim_token == claim_token)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.scalar(query)


def mark_sent(session: Session, message_id: int, claim_token: str, *, now: datetime) -> bool:
    message = _still_mine(session, message_id, claim_token)
    if message is None:
        return False
    message.status = MessageStatus.SENT
    message.sent_at = now
    message.lease_until = message.claim_token = None
    message.link_sealed = None  # the manage link was needed for this send only
    message.last_error = ""
    session.flush()
    return True


def mark_failed(session: Session, message_id: int, claim_token: str, *, error: str,
                now: datetime, max_attempts: int, permanent: bool = False) -> bool:
    """Record a failed attempt: due again after the backoff, or FAILED after the last one
    (or at once, for an address the server refused for good)."""
    message = _still_mine(session, message_id, claim_token)
    if message is None:
        return False
    message.last_error = error[:500]
    message.lease_until = message.claim_token = None
    if permanent or message.attempts >= max_attempts:
        message.status = MessageStatus.FAILED
    else:
        message.next_attempt_at = now + backoff(message.attempts)
    session.flush()
    return True


def void(session: Session, message: OutboxMessage) -> None:
    """A recovery request for an address nobody registered: keep no trace of the address."""
    message.status = MessageStatus.VOID
    message.to_address = ""
    message.lease_until = message.claim_token = None
    session.flush()


def get(session: Session, event_id: int, public_id: str) -> OutboxMessage:
    message = session.scalar(select(OutboxMessage).where(
        OutboxMessage.event_id == event_id, OutboxMessage.public_id == public_id))
    if message is None:
        raise NotFound("No such message.", code=MESSAGE_NOT_FOUND)
    return message


def retry(session: Session, message: OutboxMessage, *, now: datetime) -> OutboxMessage:
    """An organizer sends a failed message again (after fixing the address or the server)."""
    if message.status is not MessageStatus.FAILED:
        raise Conflict(f"The message is {message.status.value}; only a failed one is retried.",
                       code=NOT_FAILED)
    message.status = MessageStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = now
    session.flush()
    return message


@dataclass
class Page:
    items: list[OutboxMessage]
    total: int
    counts: dict[str, int]


_STATUS_ORDER = {MessageStatus.FAILED: 0, MessageStatus.PENDING: 1, MessageStatus.SENT: 2,
                 MessageStatus.VOID: 3}


def listing(session: Session, event_id: int, *, status: MessageStatus | None, page: int,
            per_page: int) -> Page:
    """The event's messages, failed ones first, then pending, then sent; newest first."""
    where = [OutboxMessage.event_id == event_id, OutboxMessage.status != MessageStatus.VOID,
             OutboxMessage.webhook_id.is_(None)]  # webhook deliveries have their own view
    if status is not None:
        where.append(OutboxMessage.status == status)
    rank = case(*[(OutboxMessage.status == s, r) for s, r in _STATUS_ORDER.items()], else_=9)
    items = list(session.scalars(select(OutboxMessage).where(*where)
                                 .order_by(rank, OutboxMessage.id.desc())
                                 .limit(per_page).offset((page - 1) * per_page)))
    total = session.scalar(select(func.count()).select_from(OutboxMessage).where(*where)) or 0
    counts = {s.value: 0 for s in MessageStatus if s is not MessageStatus.VOID}
    for value, n in session.execute(
            select(OutboxMessage.status, func.count()).where(*where[:3])
            .group_by(OutboxMessage.status)):
        counts[MessageStatus(value).value] = n
    return Page(items, total, counts)


def purge_bodies(session: Session, *, now: datetime, keep: timedelta) -> int:
    """Empty the text of messages sent more than ``keep`` ago; returns how many."""
    result = session.execute(
        update(OutboxMessage).where(OutboxMessage.status == MessageStatus.SENT,
                                    OutboxMessage.sent_at <= now - keep,
                                    OutboxMessage.purged_at.is_(None))
        .values(body_text="", body_html="", link_sealed=None, purged_at=now),
        execution_options={"synchronize_session": False})
    return result.rowcount


def forget_erased(session: Session, *, now: datetime) -> int:
    """Blank the address and text of messages to people whose data was erased, once nothing
    is left to send them (a cancellation notice goes out first); returns how many."""
    from forum.registration.models import Participant
    from forum.registration.service import erased

    erased_ids = select(Participant.id).where(erased())
    result = session.execute(
        update(OutboxMessage).where(OutboxMessage.participant_id.in_(erased_ids),
                                    OutboxMessage.status != MessageStatus.PENDING,
                                    OutboxMessage.to_address != "")
        .values(to_address="", subject="", body_text="", body_html="", link_sealed=None,
                purged_at=func.coalesce(OutboxMessage.purged_at, now)),
        execution_options={"synchronize_session": False})
    return result.rowcount
