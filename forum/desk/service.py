"""The participant desk: an organizer corrects a person, moves them to another category, reads
their history, and acts on a selection at once (all or nothing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forum import quota
from forum.audit import service as audit
from forum.audit.models import AuditEntry
from forum.badges.models import Badge
from forum.badges.service import current_badge
from forum.checkin.models import Checkin, Gate
from forum.errors import Conflict, DomainError, ValidationFailed
from forum.events import service as events
from forum.events.models import Event
from forum.registration import service
from forum.registration.models import ACTIVE_STATUSES, Locale, Participant, Status

if TYPE_CHECKING:
    from forum.accounts.auth import Scope

# What an organizer may correct beyond the registrant's own fields.
DESK_EDITABLE = service.SELF_EDITABLE | {"email", "country"}
BULK_LIMIT = 500


def edit(session: Session, participant: Participant, changes: dict[str, Any], *, reason: str,
         now: datetime, actor: str) -> Participant:
    """Correct a registration (a misspelt name before the badge is printed, …), with a reason;
    the audit entry keeps what each field was and became."""
    unknown = set(changes) - DESK_EDITABLE
    if unknown:
        raise ValidationFailed(errors={k: ["This field cannot be changed here."] for k in unknown})
    if "email" in changes and changes["email"] != participant.email:
        taken = session.scalar(select(Participant.id).where(
            Participant.event_id == participant.event_id, Participant.email == changes["email"]))
        if taken is not None:
            raise Conflict("Another registration uses this email address.",
                           code="already_registered")
    before = {key: _plain(getattr(participant, key)) for key in changes}
    for key, value in changes.items():
        setattr(participant, key, Locale(value) if key == "locale" else value)
    participant.updated_at = now
    participant.refresh_search_key()
    after = {key: _plain(getattr(participant, key)) for key in changes}
    audit.record(session, actor=actor, action="registration.edit", target_type="participant",
                 target_id=participant.public_id, event_id=participant.event_id, now=now,
                 data={"reason": reason, "before": before, "after": after})
    return participant


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Locale) else value


def change_category(session: Session, participant: Participant, slug: str, *, reason: str,
                    now: datetime, actor: str) -> Participant:
    """Move a person to another category; a confirmed person's seat moves with them, or the
    move is refused (409 category_full) and nothing changes. The badge is reissued on next
    use (its category no longer matches)."""
    category = events.get_category(session, participant.event, slug)
    if category is None:
        raise ValidationFailed(errors={"category": [f"Unknown category '{slug}'."]})
    old = participant.category
    if category.id == old.id:
        return participant
    if participant.status is Status.CONFIRMED:
        # Only the category pool changes; event, delegation and company seats stay held.
        quota.give_back(session, [old])
        if not quota.try_take(session, [category]):
            raise Conflict(f"The category '{slug}' is full.", code="category_full")
    participant.category, participant.category_id = category, category.id
    participant.updated_at = now
    audit.record(session, actor=actor, action="registration.category",
                 target_type="participant", target_id=participant.public_id,
                 event_id=participant.event_id, now=now,
                 data={"reason": reason, "before": old.slug, "after": category.slug})
    if participant.status is Status.CONFIRMED:
        session.flush()
        service.promote_waitlisted(session, participant.event, now=now)
    return participant


def history(session: Session, participant: Participant, *, limit: int = 200) -> list[dict]:
    """What happened to a registration, newest first: its audit entries and its scans."""
    # Views of the record are audited, but they are not something that happened to the person.
    entries = session.scalars(select(AuditEntry).where(
        AuditEntry.target_type == "participant", AuditEntry.target_id == participant.public_id,
        AuditEntry.action != audit.VIEW_ACTION)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit))
    items = [{"at": e.at, "kind": "change", "action": e.action, "actor": e.actor,
              "data": e.data} for e in entries]
    scans = session.execute(
        select(Checkin.scanned_at, Checkin.outcome, Checkin.direction, Gate.name,
               Checkin.annulled_at)
        .join(Badge, Badge.id == Checkin.badge_id).join(Gate, Gate.id == Checkin.gate_id)
        .where(Badge.participant_id == participant.id)
        .order_by(Checkin.scanned_at.desc()).limit(limit))
    items += [{"at": at, "kind": "scan", "action": f"checkin.{outcome.value}", "actor": gate,
               "data": {"direction": direction.value, "annulled": annulled is not None}}
              for at, outcome, direction, gate, annulled in scans]
    return sorted(items, key=lambda item: item["at"], reverse=True)[:limit]


@dataclass(frozen=True)
class Detail:
    """A participant as the desk shows them: the record, the current badge, the history."""

    participant: Participant
    badge: Any
    history: list[dict]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.participant, name)


def detail(session: Session, participant: Participant) -> Detail:
    return Detail(participant, current_badge(session, participant), history(session, participant))


@dataclass(frozen=True)
class BulkResult:
    done: list[Participant]


class BulkFailed(Conflict):
    """Some of the selection could not be done: nothing was (the caller's transaction rolls
    back); ``extra["failures"]`` names each refused id with its code."""

    code = "bulk_failed"
    title = "Nothing was changed: some of the selection cannot be done"


def bulk(session: Session, event: Event, ids: list[str], *, action: str, now: datetime,
         actor: str, scope: Scope | None, reason: str = "", category: str | None = None
         ) -> BulkResult:
    """Approve, reject, cancel or move a selection, all or nothing."""
    if not 1 <= len(ids) <= BULK_LIMIT:
        raise ValidationFailed(errors={"ids": [f"Select 1 to {BULK_LIMIT} participants."]})
    if action == "change_category" and not category:
        raise ValidationFailed(errors={"category": ["Name the category to move them to."]})
    query = select(Participant).where(Participant.event_id == event.id,
                                      Participant.public_id.in_(ids))
    if scope is not None:
        query = query.where(scope.condition(Participant.delegation_id, Participant.company_id))
    found = {p.public_id: p for p in session.scalars(query.order_by(Participant.id))}
    failures = [{"id": pid, "code": "participant_not_found"} for pid in ids if pid not in found]
    step = _bulk_step(action, category=category, reason=reason, now=now, actor=actor)
    for public_id, participant in found.items():
        try:
            step(session, participant)
        except DomainError as exc:
            failures.append({"id": public_id, "code": exc.code, "detail": exc.detail})
    if failures:
        raise BulkFailed(f"{len(failures)} of {len(ids)} cannot be done.",
                         extra={"failures": failures})
    audit.record(session, actor=actor, action=f"bulk.{action}", target_type="event",
                 target_id=event.slug, event_id=event.id, now=now,
                 data={"count": len(found), "reason": reason, "category": category})
    return BulkResult(done=list(found.values()))


def _bulk_step(action: str, *, category: str | None, reason: str, now: datetime,
               actor: str) -> Callable[[Session, Participant], Any]:
    if action in ("approve", "reject"):
        return lambda s, p: service.decide(s, p, approve=action == "approve", now=now,
                                           actor=actor)
    if action == "cancel":
        def cancel(s: Session, p: Participant) -> None:
            if p.status not in ACTIVE_STATUSES:
                raise Conflict("Already cancelled or rejected.", code="registration_inactive")
            service.cancel(s, p, now=now, actor=actor)
        return cancel
    if action == "change_category":
        assert category is not None
        return lambda s, p: change_category(s, p, category, reason=reason, now=now, actor=actor)
    raise ValidationFailed(errors={"action": [f"Unknown action '{action}'."]})

