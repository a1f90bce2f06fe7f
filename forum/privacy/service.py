"""Erasure of one person on request, and the retention purge.

The purge, run daily (``flask --app app forum purge``), erases:

- registrations that organizers cancelled or rejected, once the retention period has passed
  since (self-cancellations are erased at once by the registration service);
- everything personal of a past edition, once the retention period has passed since the
  event's last day: every participant's data (statuses and statistics stay), badges revoked,
  stored registration answers and scanner tokens deleted, and personal fields stripped from
  the event's audit entries (the entries stay).

Every step skips what is already done, so the purge can run any number of times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from forum.audit import service as audit
from forum.audit.models import AuditEntry
from forum.badges import service as badges
from forum.badges.models import Badge
from forum.checkin import devices
from forum.checkin.models import Gate, ScannerDevice
from forum.errors import ValidationFailed
from forum.events.models import Event
from forum.idempotency import IdempotencyRecord
from forum.privacy.errors import INVALID_RETENTION, REASON_REQUIRED
from forum.registration import service as registration
from forum.registration.models import Participant, Status

SYSTEM = "system"
RETENTION_REASON = "retention period over"
# Personal fields in audit data; a roster export's search text may be someone's name.
AUDIT_PERSONAL_KEYS = (*registration.PERSONAL_FIELDS, "q")
# A scanner device's token hash is replaced by this mark: the row stays, because its scans
# (the check-in history) refer to it.
_PURGED_TOKEN = "purged:"


def erase_participant(session: Session, participant: Participant, *, now: datetime,
                      actor: str, reason: str) -> Participant | None:
    """Erase a person's data and revoke their badge; returns the waitlisted registration
    promoted into the freed seat. Erasing an erased person changes nothing."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("Say why the data is erased.", code=REASON_REQUIRED,
                               errors={"reason": ["Required."]})
    badge = badges.current_badge(session, participant)
    if badge is not None and badge.revoked_at is None:
        badges.revoke(session, participant, now=now, actor=actor, reason="erased")
    return registration.erase(session, participant, now=now, actor=actor, reason=reason)


@dataclass
class PurgeReport:
    """What a purge erased (or, in a dry run, would erase)."""

    past_events: list[str] = field(default_factory=list)
    participants_erased: int = 0  # of past editions
    cancellations_erased: int = 0
    rejections_erased: int = 0
    badges_revoked: int = 0
    idempotency_records_deleted: int = 0
    scanner_tokens_deleted: int = 0
    audit_entries_stripped: int = 0

    def lines(self) -> list[str]:
        return [f"past editions: {', '.join(self.past_events) or '-'}",
                f"participants of past editions erased: {self.participants_erased}",
                f"cancelled registrations erased: {self.cancellations_erased}",
                f"rejected registrations erased: {self.rejections_erased}",
                f"badges revoked: {self.badges_revoked}",
                f"stored registration answers deleted: {self.idempotency_records_deleted}",
                f"scanner tokens deleted: {self.scanner_tokens_deleted}",
                f"audit entries stripped of personal data: {self.audit_entries_stripped}"]


def ended_at(event: Event) -> datetime:
    """The end of the event's last day, in its time zone."""
    return datetime.combine(event.ends_on + timedelta(days=1), time(0),
                            tzinfo=ZoneInfo(event.timezone))


def past_editions(session: Session, *, now: datetime, retention: timedelta) -> list[Event]:
    events = session.scalars(select(Event).order_by(Event.starts_on, Event.id))
    return [e for e in events if ended_at(e) + retention <= now]


def purge(session: Session, *, now: datetime, retention: timedelta,
          dry_run: bool = False) -> PurgeReport:
    """Apply the retention rules (see the module); flushes, the caller commits."""
    if retention < timedelta(0):
        raise ValidationFailed("The retention period cannot be negative.",
                               code=INVALID_RETENTION,
                               errors={"retention": ["Must be 0 days or more."]})
    report = PurgeReport()
    past = past_editions(session, now=now, retention=retention)
    for event in past:
        report.past_events.append(event.slug)
        _purge_edition(session, event, now=now, dry_run=dry_run, report=report)
    cutoff = now - retention
    past_ids = [e.id for e in past]
    cancelled = _stale(Status.CANCELLED, Participant.updated_at < cutoff, past_ids)
    rejected = _stale(Status.REJECTED, func.coalesce(Participant.decided_at,
                                                     Participant.updated_at) < cutoff, past_ids)
    report.cancellations_erased = _erase_each(session, cancelled, now=now, dry_run=dry_run)
    report.rejections_erased = _erase_each(session, rejected, now=now, dry_run=dry_run)
    session.flush()
    return report


def _stale(status: Status, old: ColumnElement[bool], past_ids: list[int]):
    query = select(Participant).where(Participant.status == status, old,
                                      ~registration.erased())
    if past_ids:  # their whole edition is erased at once
        query = query.where(Participant.event_id.not_in(past_ids))
    return query.order_by(Participant.id)


def _erase_each(session: Session, query, *, now: datetime, dry_run: bool) -> int:
    if dry_run:
        return session.scalar(select(func.count()).select_from(query.subquery())) or 0
    people = list(session.scalars(query))
    for participant in people:
        erase_participant(session, participant, now=now, actor=SYSTEM, reason=RETENTION_REASON)
    return len(people)


def _count(session: Session, model, *where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _purge_edition(session: Session, event: Event, *, now: datetime, dry_run: bool,
                   report: PurgeReport) -> None:
    people = (Participant.event_id == event.id,)
    live_badges = (Badge.event_id == event.id, Badge.revoked_at.is_(None))
    # The scope under which forum.registration.api stores registration answers.
    answers = (IdempotencyRecord.scope == f"registration:{event.id}",)
    tokens = list(session.scalars(
        select(ScannerDevice).join(Gate, Gate.id == ScannerDevice.gate_id)
        .where(Gate.event_id == event.id,
               ScannerDevice.token_hash.not_like(f"{_PURGED_TOKEN}%"))))
    counts = {
        "participants": _count(session, Participant, *people, ~registration.erased()),
        "badges": _count(session, Badge, *live_badges),
        "answers": _count(session, IdempotencyRecord, *answers),
        "tokens": len(tokens),
        "audit": audit.strip_personal_data(session, keys=AUDIT_PERSONAL_KEYS,
                                           where=[AuditEntry.event_id == event.id],
                                           dry_run=dry_run),
    }
    report.participants_erased += counts["participants"]
    report.badges_revoked += counts["badges"]
    report.idempotency_records_deleted += counts["answers"]
    report.scanner_tokens_deleted += counts["tokens"]
    report.audit_entries_stripped += counts["audit"]
    if dry_run or not any(counts.values()):
        return
    registration.erase_rows(session, *people, now=now)
    session.execute(update(Badge).where(*live_badges).values(revoked_at=now))
    session.execute(delete(IdempotencyRecord).where(*answers))
    for device in tokens:
        devices.forget(device.token_hash)
        device.token_hash = f"{_PURGED_TOKEN}{device.public_id}"
        device.revoked_at = device.revoked_at or now
    audit.record(session, actor=SYSTEM, action="privacy.purge", target_type="event",
                 target_id=event.slug, event_id=event.id, now=now, data=counts)
    session.flush()

