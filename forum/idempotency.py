"""Replay of POST answers for retried requests carrying an ``Idempotency-Key`` header.

A phone on a flaky connection resubmits the same form; the second request must get the first
answer and create nothing. The record is written in the same transaction as the effect, and
the unique (scope, key hash) constraint decides between two concurrent first attempts.

Answers hold secrets (a registration's manage token), so the database keeps neither the key
nor a readable answer: the record is found by a SHA-256 of the scope and key, and the answer
is sealed (AES-GCM) under a key derived from the Idempotency-Key itself, which only the
client holds. A record lives until its TTL, or until its ``subject`` (the registration it
answered about) is cancelled or erased (``forget``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import LargeBinary, String, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from forum import sealing
from forum.db import Base, UTCDateTime
from forum.errors import Conflict, ValidationFailed


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("scope", "key_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    sealed_body: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    subject: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


@dataclass(frozen=True)
class Replayable:
    status_code: int
    body: dict[str, Any]
    replayed: bool = False
    subject: str | None = None  # what the answer is about (forgotten with it)


_PURPOSE = b"forum idempotent answer v1"


def request_fingerprint(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _key_hash(scope: str, key: str) -> str:
    return hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()


def _seal(body: dict[str, Any], *, scope: str, key: str) -> bytes:
    return sealing.seal(json.dumps(body).encode(), purpose=_PURPOSE, aad=scope.encode(),
                        secret=key, remember=False)


def _unseal(sealed: bytes, *, scope: str, key: str) -> dict[str, Any]:
    return json.loads(sealing.unseal(sealed, purpose=_PURPOSE, aad=scope.encode(), secret=key,
                                     remember=False))


def _lookup(session: Session, scope: str, key: str, fingerprint: str,
            not_before: datetime) -> Replayable | None:
    record = session.scalar(
        select(IdempotencyRecord).where(IdempotencyRecord.scope == scope,
                                        IdempotencyRecord.key_hash == _key_hash(scope, key))
    )
    if record is None or record.sealed_body is None:
        return None
    if record.created_at < not_before:
        session.delete(record)
        session.flush()
        return None
    if record.request_hash != fingerprint:
        raise Conflict("This Idempotency-Key was already used with a different request body.",
                       code="idempotency_key_reused", title="Idempotency key reused")
    return Replayable(record.status_code, _unseal(record.sealed_body, scope=scope, key=key),
                      replayed=True, subject=record.subject)


def run_once(session: Session, *, scope: str, key: str | None, payload: Any, now: datetime,
             ttl: timedelta, effect: Callable[[], Replayable]) -> Replayable:
    """Run ``effect`` and commit, or replay the stored answer of an earlier run with ``key``.

    Commits the session: the stored answer and the effect land together or not at all.
    """
    if key is None:
        result = effect()
        session.commit()
        return result
    if not 1 <= len(key) <= 200:
        raise ValidationFailed(errors={"Idempotency-Key": ["Must be 1 to 200 characters."]})
    fingerprint = request_fingerprint(payload)
    _purge_now_and_then(session, now=now, ttl=ttl)
    earlier = _lookup(session, scope, key, fingerprint, now - ttl)
    if earlier is not None:
        session.commit()
        return earlier
    # Claim the key before doing the work: on PostgreSQL a concurrent first attempt with the
    # same key waits on the unique index here, then fails and replays this answer.
    record = IdempotencyRecord(scope=scope, key_hash=_key_hash(scope, key),
                               request_hash=fingerprint, status_code=0, created_at=now)
    session.add(record)
    try:
        session.flush()
        result = effect()
        record.status_code = result.status_code
        record.sealed_body = _seal(result.body, scope=scope, key=key)
        record.subject = result.subject
        session.commit()
    except IntegrityError:
        # Someone committed this key first: their answer is the answer. Without a stored
        # answer the conflict was the effect's own (a duplicate email, say): re-raise it.
        session.rollback()
        earlier = _lookup(session, scope, key, fingerprint, now - ttl)
        if earlier is None:
            raise
        session.commit()
        return earlier
    return result


def forget(session: Session, *, subject: str) -> int:
    """Delete the stored answers about ``subject`` (a cancelled or erased registration)."""
    result = session.execute(delete(IdempotencyRecord)
                             .where(IdempotencyRecord.subject == subject))
    return result.rowcount or 0


# Stored answers hold manage tokens: they must not outlive the TTL. Each process deletes the
# expired ones at most once a minute, so a registration rush pays for it once, not per request.
_PURGE_EVERY = timedelta(minutes=1)
_last_purge: datetime | None = None


def _purge_now_and_then(session: Session, *, now: datetime, ttl: timedelta) -> None:
    global _last_purge
    if _last_purge is not None and now - _last_purge < _PURGE_EVERY:
        return
    _last_purge = now
    purge_expired(session, now=now, ttl=ttl)


def purge_expired(session: Session, *, now: datetime, ttl: timedelta) -> int:
    expired = IdempotencyRecord.created_at < now - ttl
    result = session.execute(delete(IdempotencyRecord).where(expired))
    return result.rowcount or 0
