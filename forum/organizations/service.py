"""Companies apply and organizers approve them; delegations are set up by organizers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from forum.audit import service as audit
from forum.errors import Conflict, NotFound
from forum.events.models import Event
from forum.organizations.models import Company, CompanyStatus, Delegation


def apply_company(session: Session, *, event: Event, name: str, country: str, website: str,
                  exhibitor: bool, contact_name: str, contact_email: str,
                  now: datetime) -> Company:
    """A company contact registers the company; it waits for an organizer's approval."""
    if not event.registration_open(now):
        raise Conflict("Registration for this event is closed.", code="registration_closed")
    if session.scalar(select(Company.id).where(Company.event_id == event.id,
                                               Company.name == name)) is not None:
        raise Conflict("A company with this name is already registered.",
                       code="company_exists")
    company = Company(event_id=event.id, name=name, country=country, website=website,
                      exhibitor=exhibitor, contact_name=contact_name,
                      contact_email=contact_email, status=CompanyStatus.PENDING, created_at=now)
    session.add(company)
    session.flush()
    audit.record(session, actor=f"contact:{contact_email}", action="company.apply",
                 target_type="company", target_id=company.public_id, event_id=event.id, now=now)
    return company


def get_company(session: Session, event: Event, public_id: str) -> Company:
    company = session.scalar(select(Company).where(Company.event_id == event.id,
                                                   Company.public_id == public_id))
    if company is None:
        raise NotFound("No such company.", code="company_not_found")
    return company


def decide_company(session: Session, company: Company, *, approve: bool, now: datetime,
                   actor: str, quota: int | None = None, booth: str | None = None) -> Company:
    if company.status is not CompanyStatus.PENDING:
        raise Conflict(f"The company is {company.status.value}, not pending.",
                       code="not_pending")
    company.status = CompanyStatus.APPROVED if approve else CompanyStatus.REJECTED
    company.decided_at = now
    if quota is not None:
        company.quota = quota
    if booth is not None:
        company.booth = booth
    audit.record(session, actor=actor, action="company.approve" if approve else "company.reject",
                 target_type="company", target_id=company.public_id, event_id=company.event_id,
                 now=now)
    return company


def list_companies(session: Session, event: Event, status: CompanyStatus | None
                   ) -> list[Company]:
    query = select(Company).where(Company.event_id == event.id).order_by(Company.name)
    if status is not None:
        query = query.where(Company.status == status)
    return list(session.scalars(query))


def list_delegations(session: Session, event: Event) -> list[Delegation]:
    return list(session.scalars(select(Delegation).where(Delegation.event_id == event.id)
                                .order_by(Delegation.name)))
