"""The event's delegations and companies as a roster names them, and an import's binding."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from forum.errors import NotFound
from forum.events.models import Event
from forum.organizations.models import Company, CompanyStatus, Delegation
from forum.rosters.columns import KIND_RULES, RosterKind
from forum.rosters.rows import country_code, unneutralize


def _key(text: str) -> str:
    return " ".join(unneutralize(text.strip()).split()).casefold()


@dataclass
class Groups:
    """Delegations (by name, invitation code or country) and companies (by name or code)."""

    delegations: dict[str, Delegation] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)
    delegation: Delegation | None = None  # every row goes into this one
    company: Company | None = None

    @classmethod
    def load(cls, session: Session, event: Event, *, delegation_id: int | None,
             company_id: int | None) -> Groups:
        groups = cls()
        for delegation in session.scalars(select(Delegation).where(
                Delegation.event_id == event.id).order_by(Delegation.id)):
            for key in (delegation.name, delegation.invitation_code, delegation.country):
                groups.delegations.setdefault(_key(key), delegation)
        for company in session.scalars(select(Company).where(
                Company.event_id == event.id).order_by(Company.id)):
            for key in (company.name, company.invitation_code):
                groups.companies.setdefault(_key(key), company)
        if delegation_id is not None:
            groups.delegation = next((d for d in groups.delegations.values()
                                      if d.id == delegation_id), None)
            if groups.delegation is None:
                raise NotFound("No such delegation in this event.", code="delegation_not_found")
        if company_id is not None:
            groups.company = next((c for c in groups.companies.values() if c.id == company_id),
                                  None)
            if groups.company is None:
                raise NotFound("No such company in this event.", code="company_not_found")
        return groups

    @property
    def bound(self) -> bool:
        return self.delegation is not None or self.company is not None

    @property
    def forced(self) -> tuple[str, ...]:
        return tuple(name for name, group in (("delegation", self.delegation),
                                              ("company", self.company)) if group is not None)

    def covers(self, delegation_id: int | None, company_id: int | None) -> bool:
        """Whether an existing registration is one this import may change."""
        if not self.bound:
            return True
        return ((self.delegation is not None and delegation_id == self.delegation.id)
                or (self.company is not None and company_id == self.company.id))

    def _find(self, name: str, text: str):
        table = self.delegations if name == "delegation" else self.companies
        found = table.get(_key(text))
        if found is None and name == "delegation":
            found = table.get(_key(country_code(text)))
        return found

    def resolve(self, cells: dict[str, str], kind: RosterKind
                ) -> tuple[Delegation | None, Company | None, list[tuple[str, str]]]:
        """The row's delegation and company, and (field, message) for what does not fit."""
        errors: list[tuple[str, str]] = []
        found: dict[str, Delegation | Company | None] = {}
        for name, bound in (("delegation", self.delegation), ("company", self.company)):
            text = cells.get(name, "").strip()
            group = self._find(name, text) if text else None
            if text and group is None:
                errors.append((name, f"No {name} '{text}' in this event."))
            elif bound is not None:
                if group is not None and group.id != bound.id:
                    errors.append((name, f"This roster is for {bound.name} only."))
                group = bound
            found[name] = group
        delegation, company = found["delegation"], found["company"]
        required = KIND_RULES[kind].group_required
        if required and found[required] is None and not errors:
            errors.append((required, "Missing data for required field."))
        if delegation is not None and company is not None:
            errors.append(("company", "Give either a delegation or a company, not both."))
        if company is not None and company.status is not CompanyStatus.APPROVED:
            errors.append(("company", "The company is not approved yet."))
        return delegation, company, errors
