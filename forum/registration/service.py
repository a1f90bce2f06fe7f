"""Registration rules: who may register into which category, seats, waitlist, self-service."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Select, bindparam, insert, literal, select, update
from sqlalchemy.orm import Session, make_transient_to_detached

from forum import idempotency, quota
from forum.audit import service as audit
from forum.db import opaque_id
from forum.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed
from forum.events import service as events
from forum.events.models import Admission, Category, Event
from forum.organizations.models import Company, CompanyStatus, Delegation
from forum.registration import search as participant_search
from forum.registration.models import (
    ACTIVE_STATUSES,
    Locale,
    Participant,
    Status,
    initial_status,
    search_key,
)
from forum.registration.notices import Notice, notify
from forum.tokens import token_hash

if TYPE_CHECKING:
    from forum.accounts.auth import Scope

# Fields a participant may change through the manage link.
SELF_EDITABLE = frozenset({
    "first_name", "last_name", "first_name_cyrillic", "last_name_cyrillic",
    "organization", "job_title", "phone", "locale",
})
_BY_EMAIL = select(Participant).where(Participant.event_id == bindparam("event_id"),
                                      Participant.email == bindparam("email"))
_PARTICIPANT_COLUMNS = [c for c in Participant.__table__.columns if c.key != "id"]
_INSERT_PARTICIPANT = insert(Participant.__table__)
# How many waitlisted registrations one freed seat is offered to before giving up.
_PROMOTION_SCAN = 200
# The message a new registration gets, by the status it starts in.
_REGISTERED = {Status.PENDING: Notice.RECEIVED, Status.CONFIRMED: Notice.CONFIRMED,
               Status.WAITLISTED: Notice.WAITLISTED}
# What higher domains release when a registration is cancelled (workshop seats in
# forum.program): the app factory registers them, so this module never imports them.
_CANCEL_HOOKS: list[Callable[..., None]] = []


def on_cancel(hook: Callable[..., None]) -> None:
    """Run ``hook(session, participant, now=…)`` in every cancellation's transaction."""
    if hook not in _CANCEL_HOOKS:
        _CANCEL_HOOKS.append(hook)


@dataclass
class RegistrationData:
    first_name: str
    last_name: str
    email: str
    country: str
    consent: bool
    category: str | None = None
    delegation_code: str | None = None
    company_code: str | None = None
    organization: str = ""
    job_title: str = ""
    phone: str = ""
    locale: str = "en"
    first_name_cyrillic: str = ""
    last_name_cyrillic: str = ""
    extra: dict = field(default_factory=dict)


def _resolve_group(session: Session, event: Event, data: RegistrationData
                   ) -> tuple[Delegation | None, Company | None]:
    delegation = company = None
    if data.delegation_code:
        delegation = session.scalar(select(Delegation).where(
            Delegation.invitation_code == data.delegation_code.strip().upper(),
            Delegation.event_id == event.id))
        if delegation is None:
            raise NotFound("No delegation has this invitation code.", code="unknown_code",
                           errors={"delegation_code": ["No delegation has this code."]})
    if data.company_code:
        company = session.scalar(select(Company).where(
            Company.invitation_code == data.company_code.strip().upper(),
            Company.event_id == event.id))
        if company is None:
            raise NotFound("No company has this invitation code.", code="unknown_code",
                           errors={"company_code": ["No company has this code."]})
        if company.status is not CompanyStatus.APPROVED:
            raise Forbidden("The company is not approved yet.", code="company_not_approved",
                            errors={"company_code": ["The company is not approved yet."]})
    return delegation, company


def _resolve_category(session: Session, event: Event, data: RegistrationData,
                      delegation: Delegation | None, company: Company | None,
                      *, by_organizer: bool) -> Category:
    slug = data.category
    if slug is None:
        if delegation is not None:
            slug = "delegate"
        elif company is not None:
            slug = "exhibitor" if company.exhibitor else "attendee"
        else:
            slug = "attendee"
    category = events.get_category(session, event, slug)
    if category is None:
        raise ValidationFailed(errors={"category": [f"Unknown category '{slug}'."]})
    if by_organizer:
        return category
    admission = category.admission
    if admission is Admission.ORGANIZER:
        raise Forbidden(f"The category '{slug}' is not open to self-registration.",
                        code="category_not_open")
    if admission is Admission.DELEGATION and delegation is None:
        raise Forbidden(f"The category '{slug}' needs a delegation invitation code.",
                        code="invitation_code_required")
    if admission is Admission.COMPANY and company is None:
        raise Forbidden(f"The category '{slug}' needs a company invitation code.",
                        code="invitation_code_required")
    if admission is Admission.COMPANY and company is not None and not company.exhibitor:
        raise Forbidden("Only exhibiting companies register exhibitors.",
                        code="category_not_open")
    return category


def _seat_or_wait(session: Session, participant: Participant) -> Status:
    return initial_status(participant.category,
                          lambda: quota.try_take(session, participant.pools()))


def register(session: Session, *, event: Event, data: RegistrationData, now: datetime,
             actor: str | None = None, by_organizer: bool = False) -> tuple[Participant, str]:
    """Create a registration; returns it with its manage token (shown once, stored hashed)."""
    if not data.consent:
        raise ValidationFailed(errors={"consent": ["You must accept the privacy notice."]})
    if data.delegation_code and data.company_code:
        raise ValidationFailed(errors={"company_code": [
            "Give either a delegation code or a company code, not both."]})
    if not by_organizer and not event.registration_open(now):
        raise Conflict("Registration for this event is closed.", code="registration_closed")
    delegation, company = _resolve_group(session, event, data)
    category = _resolve_category(session, event, data, delegation, company,
                                 by_organizer=by_organizer)

    existing = session.scalar(_BY_EMAIL, {"event_id": event.id, "email": data.email})
    if existing is not None and (existing.status in ACTIVE_STATUSES or (
            existing.status is Status.REJECTED and not by_organizer)):
        raise _already_registered(event)

    token = secrets.token_urlsafe(32)
    # A cancelled registration is reused: the email stays unique within the event.
    participant = existing or Participant(email=data.email, created_at=now)
    participant.event, participant.event_id = event, event.id
    participant.category, participant.category_id = category, category.id
    participant.delegation = delegation
    participant.delegation_id = delegation.id if delegation else None
    participant.company = company
    participant.company_id = company.id if company else None
    participant.first_name = data.first_name
    participant.last_name = data.last_name
    participant.first_name_cyrillic = data.first_name_cyrillic
    participant.last_name_cyrillic = data.last_name_cyrillic
    participant.country = data.country
    participant.organization = data.organization or (company.name if company else "")
    participant.job_title = data.job_title
    participant.phone = data.phone
    participant.locale = Locale(data.locale)
    participant.manage_token_hash = token_hash(token)
    participant.consent_at = now
    participant.updated_at = now
    participant.decided_at = None
    participant.refresh_search_key()
    # Seats first: the registration row is written once its status is known.
    participant.status = _seat_or_wait(session, participant)
    if existing is None:
        _insert_new(session, participant)
    else:
        session.flush()
    audit.record(session, actor=actor or f"participant:{participant.public_id}",
                 action="registration.create", target_type="participant",
                 target_id=participant.public_id, event_id=event.id, now=now,
                 data={"status": participant.status.value, "category": category.slug})
    notify(session, participant, _REGISTERED[participant.status], now=now, token=token)
    return participant, token


def _already_registered(event: Event) -> Conflict:
    """The answer to a second registration: the way back in is the recovery by e-mail."""
    return Conflict("This email address is already registered for the event. If it is yours, "
                    "ask for your manage link again: it is sent to this address.",
                    code="already_registered",
                    extra={"recover": f"/api/v1/events/{event.slug}/registrations/recover"})


def _insert_new(session: Session, participant: Participant) -> None:
    """Write a new registration with one INSERT and attach it to the session as loaded.

    Registration rushes run this thousands of times a minute, and the unit of work's flush
    costs several times the INSERT itself; the row is complete here, so nothing is lost.
    """
    participant.public_id = opaque_id()
    row = {column.key: getattr(participant, column.key) for column in _PARTICIPANT_COLUMNS}
    result = session.connection().execute(_INSERT_PARTICIPANT, row)
    participant.id = result.inserted_primary_key[0]
    make_transient_to_detached(participant)
    session.add(participant)


def by_manage_token(session: Session, token: str) -> Participant:
    participant = session.scalar(
        select(Participant).where(Participant.manage_token_hash == token_hash(token)))
    if participant is None:
        raise Unauthorized("The manage link is not valid.", code="invalid_token")
    return participant


def update_self(session: Session, participant: Participant, changes: dict, *,
                now: datetime) -> Participant:
    unknown = set(changes) - SELF_EDITABLE
    if unknown:
        raise ValidationFailed(errors={k: ["This field cannot be changed."] for k in unknown})
    if participant.status in (Status.CANCELLED, Status.REJECTED):
        raise Conflict("A cancelled or rejected registration cannot be changed.",
                       code="registration_inactive")
    for key, value in changes.items():
        setattr(participant, key, Locale(value) if key == "locale" else value)
    participant.updated_at = now
    participant.refresh_search_key()
    audit.record(session, actor=f"participant:{participant.public_id}",
                 action="registration.update", target_type="participant",
                 target_id=participant.public_id, event_id=participant.event_id, now=now,
                 data={"fields": sorted(changes)})
    return participant


def promote_waitlisted(session: Session, event: Event, *, now: datetime) -> Participant | None:
    """Give a freed seat to the first waitlisted registration that fits all its pools."""
    candidates = session.scalars(
        select(Participant)
        .where(Participant.event_id == event.id, Participant.status == Status.WAITLISTED)
        .order_by(Participant.id)
        .limit(_PROMOTION_SCAN)
    )
    for candidate in candidates:
        if quota.try_take(session, candidate.pools()):
            candidate.status = Status.CONFIRMED
            candidate.updated_at = now
            audit.record(session, actor="system", action="registration.promote",
                         target_type="participant", target_id=candidate.public_id,
                         event_id=event.id, now=now)
            notify(session, candidate, Notice.PROMOTED, now=now)
            return candidate
    return None


# What identifies a person; erasure blanks these and keeps the rest (category, country,
# delegation or company, status, dates) for statistics and seat history. The model stores no
# photo or free-form answers: a column added for them belongs here.
PERSONAL_FIELDS = ("first_name", "last_name", "first_name_cyrillic", "last_name_cyrillic",
                   "email", "phone", "organization", "job_title")
# Erased rows keep a unique placeholder address in this reserved domain (RFC 2606), so the
# (event, email) constraint holds and the person can register again.
ERASED_DOMAIN = "erased.invalid"


def is_erased(participant: Participant) -> bool:
    return participant.email.endswith("@" + ERASED_DOMAIN)


def erased() -> ColumnElement[bool]:
    """The SQL form of ``is_erased``."""
    return Participant.email.endswith("@" + ERASED_DOMAIN)


def erase_rows(session: Session, *where: ColumnElement[bool], now: datetime) -> int:
    """Erase the personal data of the matching registrations not erased yet; returns how many.

    One UPDATE for one person or a whole past edition. The audit entries about them are the
    caller's to strip (``audit.strip_personal_data`` with ``PERSONAL_FIELDS``).
    """
    session.flush()  # pending changes of these rows must not be lost by the expiry below
    blank = {name: "" for name in PERSONAL_FIELDS if name != "email"}
    result = session.execute(
        update(Participant).where(*where, ~erased()).values(
            **blank, email=literal("erased-") + Participant.public_id
            + literal("@" + ERASED_DOMAIN),
            search_key=search_key({}), updated_at=now),
        execution_options={"synchronize_session": False})
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Participant):
            session.expire(obj)
    return result.rowcount


def erase_personal_data(session: Session, participant: Participant, *, now: datetime) -> bool:
    """Erase one person's data, in their row and in the audit entries about them; False when
    the row was erased already (the audit entries are stripped again either way)."""
    public_id = participant.public_id
    idempotency.forget(session, subject=public_id)
    done = erase_rows(session, Participant.id == participant.id, now=now) == 1
    audit.strip_personal_data(session, keys=PERSONAL_FIELDS,
                              where=audit.about("participant", public_id))
    return done


def cancel(session: Session, participant: Participant, *, now: datetime,
           actor: str | None = None, erase: bool = False) -> Participant | None:
    """Cancel a registration; returns the waitlisted registration promoted into its seat.

    ``erase`` (a registrant cancelling their own registration) also erases their personal
    data, as the privacy notice promises.
    """
    if participant.status is Status.CANCELLED:
        return None
    held_seat = participant.status is Status.CONFIRMED
    participant.status = Status.CANCELLED
    participant.updated_at = now
    audit.record(session, actor=actor or f"participant:{participant.public_id}",
                 action="registration.cancel", target_type="participant",
                 target_id=participant.public_id, event_id=participant.event_id, now=now,
                 data={"erased": erase})
    # A replayed registration answer would hand out the manage token of a closed record.
    idempotency.forget(session, subject=participant.public_id)
    event = participant.event
    notify(session, participant, Notice.CANCELLED, now=now)  # before an erasure blanks the address
    for hook in _CANCEL_HOOKS:
        hook(session, participant, now=now)
    if held_seat:
        quota.give_back(session, participant.pools())
    if erase:
        erase_personal_data(session, participant, now=now)
    if not held_seat:
        return None
    session.flush()
    return promote_waitlisted(session, event, now=now)


def erase(session: Session, participant: Participant, *, now: datetime, actor: str,
          reason: str) -> Participant | None:
    """Erase a person's data on their request or by the retention rule; returns the
    waitlisted registration promoted into the seat it freed.

    An active registration is cancelled first (its seat goes to the waitlist); the row stays,
    with what statistics need. The audit entry keeps the fact and the reason, not the data.
    Erasing again changes nothing.
    """
    promoted = None
    # A past edition's erased people keep their status for statistics: nothing to cancel.
    if participant.status in ACTIVE_STATUSES and not is_erased(participant):
        promoted = cancel(session, participant, now=now, actor=actor)
    public_id, event_id = participant.public_id, participant.event_id
    if erase_personal_data(session, participant, now=now):
        audit.record(session, actor=actor, action="participant.erase",
                     target_type="participant", target_id=public_id, event_id=event_id,
                     now=now, data={"reason": reason})
    return promoted


def public_ids_matching(*, event_id: int | None, text: str) -> Select:
    """Ids of the participants (of one event, or of any) whose name, email or organization
    holds the text, as a subquery for other domains' searches."""
    folded = search_key({"last_name": text}).strip()
    query = select(Participant.public_id).where(
        Participant.search_key.contains(folded, autoescape=True))
    if event_id is not None:
        query = query.where(Participant.event_id == event_id)
    return query


def decide(session: Session, participant: Participant, *, approve: bool, now: datetime,
           actor: str, reason: str = "") -> Participant:
    """An organizer approves (seat or waitlist) or rejects a pending registration; the reason
    (told to a rejected person) is kept in the audit entry."""
    if participant.status is not Status.PENDING:
        raise Conflict(f"The registration is {participant.status.value}, not pending.",
                       code="not_pending")
    if approve:
        confirmed = quota.try_take(session, participant.pools())
        participant.status = Status.CONFIRMED if confirmed else Status.WAITLISTED
    else:
        participant.status = Status.REJECTED
    participant.decided_at = now
    participant.updated_at = now
    audit.record(session, actor=actor, action="registration.approve" if approve
                 else "registration.reject", target_type="participant",
                 target_id=participant.public_id, event_id=participant.event_id, now=now,
                 data={"status": participant.status.value, "reason": reason})
    notify(session, participant, Notice.APPROVED if approve else Notice.REJECTED, now=now,
           reason=reason)
    return participant


def get_participant(session: Session, event: Event, public_id: str, *,
                    scope: Scope | None = None) -> Participant:
    """The event's participant; outside the caller's scope it does not exist (404)."""
    query = select(Participant).where(Participant.event_id == event.id,
                                      Participant.public_id == public_id)
    if scope is not None:
        query = query.where(scope.condition(Participant.delegation_id, Participant.company_id))
    participant = session.scalar(query)
    if participant is None:
        raise NotFound("No such participant.", code="participant_not_found")
    return participant


def search(session: Session, event: Event, *, scope: Scope | None = None,
           **filters) -> tuple[list[Participant], int]:
    """A page of the event's participants (only the scope's, for a scoped caller) and the
    number of matches; the filters are those of ``search.find``."""
    result = participant_search.find(session, event, scope=scope, **filters)
    return result.items, result.total
