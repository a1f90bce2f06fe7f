"""Delegations and companies: companies apply and organizers decide; organizers set up
delegations and companies, edit them, regenerate their invitation codes.

Every change writes an audit entry with what the changed fields were and became. The contact
person's name and email appear there only when they are what changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select, true, update
from sqlalchemy.orm import Session

from forum.audit import service as audit
from forum.errors import Conflict, NotFound
from forum.events.models import Event
from forum.organizations import errors, members
from forum.organizations.models import Company, CompanyStatus, Delegation, invitation_code

if TYPE_CHECKING:
    from forum.accounts.auth import Scope

T = TypeVar("T", Delegation, Company)

DELEGATION_FIELDS = ("country", "name", "head_name", "head_email", "quota")
COMPANY_FIELDS = ("name", "country", "website", "exhibitor", "booth", "contact_name",
                  "contact_email", "quota")
# Left out of the creation entry: the record itself holds them.
_PERSONAL = frozenset({"head_name", "head_email", "contact_name", "contact_email"})


def _record(session: Session, org: Delegation | Company, *, action: str, actor: str,
            now: datetime, **data: Any) -> None:
    audit.record(session, actor=actor, action=action, target_type=org.__tablename__,
                 target_id=org.public_id, event_id=org.event_id, now=now, data=data)


def _set_quota(session: Session, org: Delegation | Company, quota: int | None) -> None:
    """Change a quota in one conditional UPDATE, so a seat taken meanwhile cannot slip under it."""
    table = type(org).__table__
    fits = true() if quota is None else table.c.taken <= quota
    result = session.execute(update(table).where(table.c.id == org.id, fits)
                             .values(quota=quota))
    session.expire(org, ["quota", "taken"])
    if result.rowcount != 1:
        raise errors.quota_below_taken(quota or 0, org.taken)


def _apply(session: Session, org: T, changes: dict[str, Any], allowed: tuple[str, ...]
           ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Apply the fields that differ; returns (before, after) of those fields only."""
    changed = {k: v for k, v in changes.items() if k in allowed and getattr(org, k) != v}
    before = {k: getattr(org, k) for k in changed}
    if "quota" in changed:
        _set_quota(session, org, changed["quota"])
    for key, value in changed.items():
        if key != "quota":
            setattr(org, key, value)
    return before, changed


# --- delegations ---------------------------------------------------------------------------

def get_delegation(session: Session, event: Event, public_id: str, *,
                   scope: Scope | None = None) -> Delegation:
    """The event's delegation; outside a scoped caller's own it does not exist (404)."""
    query = select(Delegation).where(Delegation.event_id == event.id,
                                     Delegation.public_id == public_id)
    if scope is not None:
        query = query.where(Delegation.id.in_(sorted(scope.delegation_ids)))
    delegation = session.scalar(query)
    if delegation is None:
        raise NotFound("No such delegation.", code=errors.DELEGATION_NOT_FOUND)
    return delegation


def _check_country_free(session: Session, event_id: int, country: str) -> None:
    if session.scalar(select(Delegation.id).where(Delegation.event_id == event_id,
                                                  Delegation.country == country)) is not None:
        raise Conflict(f"The country {country} already has a delegation at this event.",
                       code=errors.DELEGATION_EXISTS)


def create_delegation(session: Session, *, event: Event, country: str, name: str,
                      head_name: str = "", head_email: str = "", quota: int | None = None,
                      now: datetime, actor: str) -> Delegation:
    """An organizer sets up a country's delegation; its invitation code is made here."""
    _check_country_free(session, event.id, country)
    delegation = Delegation(event_id=event.id, country=country, name=name, head_name=head_name,
                            head_email=head_email, quota=quota, taken=0, created_at=now)
    session.add(delegation)
    session.flush()
    _record(session, delegation, action="delegation.create", actor=actor, now=now,
            after={"country": country, "name": name, "quota": quota})
    return delegation


def update_delegation(session: Session, delegation: Delegation, changes: dict[str, Any], *,
                      now: datetime, actor: str) -> Delegation:
    """Edit a delegation; a quota below the seats its members hold is refused (409)."""
    country = changes.get("country")
    if country is not None and country != delegation.country:
        _check_country_free(session, delegation.event_id, country)
    before, after = _apply(session, delegation, changes, DELEGATION_FIELDS)
    if after:
        session.flush()
        _record(session, delegation, action="delegation.update", actor=actor, now=now,
                before=before, after=after)
    return delegation


def delete_delegation(session: Session, delegation: Delegation, *, now: datetime,
                      actor: str) -> None:
    """Remove a delegation that has no members; the head's grant for it goes with it."""
    if members.has_members(session, delegation):
        raise Conflict("The delegation has members; cancel or move them first.",
                       code=errors.DELEGATION_NOT_EMPTY)
    _record(session, delegation, action="delegation.delete", actor=actor, now=now,
            before={"country": delegation.country, "name": delegation.name,
                    "quota": delegation.quota})
    session.delete(delegation)
    session.flush()


def regenerate_code(session: Session, org: Delegation | Company, *, now: datetime,
                    actor: str) -> Delegation | Company:
    """Give a new invitation code; the old one stops working with this transaction."""
    old = org.invitation_code
    org.invitation_code = invitation_code("D" if isinstance(org, Delegation) else "C")
    session.flush()
    _record(session, org, action=f"{org.__tablename__}.code", actor=actor, now=now,
            before={"invitation_code": old}, after={"invitation_code": org.invitation_code})
    return org


# --- companies -----------------------------------------------------------------------------

def get_company(session: Session, event: Event, public_id: str, *,
                scope: Scope | None = None) -> Company:
    """The event's company; outside a scoped caller's own it does not exist (404)."""
    query = select(Company).where(Company.event_id == event.id, Company.public_id == public_id)
    if scope is not None:
        query = query.where(Company.id.in_(sorted(scope.company_ids)))
    company = session.scalar(query)
    if company is None:
        raise NotFound("No such company.", code=errors.COMPANY_NOT_FOUND)
    return company


def _check_name_free(session: Session, event_id: int, name: str) -> None:
    if session.scalar(select(Company.id).where(Company.event_id == event_id,
                                               Company.name == name)) is not None:
        raise Conflict("A company with this name is already registered.",
                       code=errors.COMPANY_EXISTS)


def apply_company(session: Session, *, event: Event, name: str, country: str, website: str,
                  exhibitor: bool, contact_name: str, contact_email: str,
                  now: datetime) -> Company:
    """A company contact registers the company; it waits for an organizer's approval."""
    if not event.registration_open(now):
        raise Conflict("Registration for this event is closed.",
                       code=errors.REGISTRATION_CLOSED)
    _check_name_free(session, event.id, name)
    company = Company(event_id=event.id, name=name, country=country, website=website,
                      exhibitor=exhibitor, contact_name=contact_name,
                      contact_email=contact_email, status=CompanyStatus.PENDING, created_at=now)
    session.add(company)
    session.flush()
    audit.record(session, actor=f"contact:{contact_email}", action="company.apply",
                 target_type="company", target_id=company.public_id, event_id=event.id, now=now)
    return company


def approved_names(session: Session, event: Event) -> list[str]:
    """The names of the event's approved companies, alphabetically (the form's suggestions)."""
    return list(session.scalars(
        select(Company.name).where(Company.event_id == event.id,
                                   Company.status == CompanyStatus.APPROVED)
        .order_by(Company.name)))


def create_company(session: Session, *, event: Event, name: str, country: str,
                   website: str = "", exhibitor: bool = False, booth: str = "",
                   contact_name: str = "", contact_email: str = "", quota: int | None = None,
                   now: datetime, actor: str) -> Company:
    """An organizer adds a company directly: approved at once, its code usable."""
    _check_name_free(session, event.id, name)
    company = Company(event_id=event.id, name=name, country=country, website=website,
                      exhibitor=exhibitor, booth=booth, contact_name=contact_name,
                      contact_email=contact_email, quota=quota, taken=0,
                      status=CompanyStatus.APPROVED, created_at=now, decided_at=now)
    session.add(company)
    session.flush()
    after = {k: getattr(company, k) for k in COMPANY_FIELDS if k not in _PERSONAL}
    _record(session, company, action="company.create", actor=actor, now=now,
            after={**after, "status": company.status.value})
    return company


def update_company(session: Session, company: Company, changes: dict[str, Any], *,
                   now: datetime, actor: str) -> Company:
    """Edit a company (pending ones too); a quota below the seats taken is refused (409)."""
    name = changes.get("name")
    if name is not None and name != company.name:
        _check_name_free(session, company.event_id, name)
    before, after = _apply(session, company, changes, COMPANY_FIELDS)
    if after:
        session.flush()
        _record(session, company, action="company.update", actor=actor, now=now,
                before=before, after=after)
    return company


def decide_company(session: Session, company: Company, *, approve: bool, now: datetime,
                   actor: str, quota: int | None = None, booth: str | None = None) -> Company:
    """Approve (its invitation code becomes usable) or reject a pending company."""
    if company.status is not CompanyStatus.PENDING:
        raise Conflict(f"The company is {company.status.value}, not pending.",
                       code=errors.NOT_PENDING)
    before = {"status": company.status.value, "quota": company.quota, "booth": company.booth}
    company.status = CompanyStatus.APPROVED if approve else CompanyStatus.REJECTED
    company.decided_at = now
    if quota is not None:
        _set_quota(session, company, quota)
    if booth is not None:
        company.booth = booth
    after = {"status": company.status.value, "quota": company.quota, "booth": company.booth}
    _record(session, company, action="company.approve" if approve else "company.reject",
            actor=actor, now=now, before=before, after=after)
    return company
