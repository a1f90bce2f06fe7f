"""Members of delegations and companies: rosters and fill levels from grouped counts.

The counts are read from the participant table (registration's models import this domain's
models, never the other way round: this module is only imported by views and the dashboard).
A whole list is one query, the organizations outer-joined to their members counted per
status, so a table of 300 companies costs the same as one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from forum.events.models import Category, Event
from forum.organizations.models import Company, CompanyStatus, Delegation
from forum.registration.models import Participant, Status

T = TypeVar("T", Delegation, Company)
_COUNTED = (Status.CONFIRMED, Status.PENDING, Status.WAITLISTED)


@dataclass(frozen=True)
class Fill:
    """How full a pool is: its seat counter and its members per status."""

    quota: int | None
    taken: int
    confirmed: int = 0
    pending: int = 0
    waitlisted: int = 0


@dataclass(frozen=True)
class Member:
    id: str
    first_name: str
    last_name: str
    email: str
    status: str
    category: str
    created_at: datetime


@dataclass(frozen=True)
class WithFill(Generic[T]):
    """A delegation or company with its fill level (and roster, for one); reads through to it."""

    org: T
    fill: Fill
    members: list[Member] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.org, name)


def _owner_column(model: type[Delegation] | type[Company]):
    return Participant.delegation_id if model is Delegation else Participant.company_id


def _per_status() -> list[Any]:
    return [func.count().filter(Participant.status == s).label(s.value) for s in _COUNTED]


def tally(event_id: int, owner: Any) -> Select:
    """Members per status, grouped by ``owner`` (a participant column): one row per group."""
    return (select(owner.label("owner_id"), *_per_status())
            .where(Participant.event_id == event_id, owner.is_not(None))
            .group_by(owner))


def overall(event_id: int, owner: Any) -> Select:
    """Members per status of every group of one kind together (one row)."""
    return select(*_per_status()).where(Participant.event_id == event_id, owner.is_not(None))


def _fill(org: Delegation | Company, counts: Any) -> Fill:
    return Fill(quota=org.quota, taken=org.taken,
                **{s.value: getattr(counts, s.value, None) or 0 for s in _COUNTED})


def with_fill(session: Session, model: type[T], event: Event, *,
              where: tuple[ColumnElement[bool], ...] = (),
              order_by: tuple[Any, ...] = (), limit: int | None = None) -> list[WithFill[T]]:
    """The event's delegations or companies with their fill levels, in one query."""
    counts = tally(event.id, _owner_column(model)).subquery()
    query = (select(model, *(counts.c[s.value] for s in _COUNTED))
             .outerjoin(counts, counts.c.owner_id == model.id)
             .where(model.event_id == event.id, *where)
             .order_by(*order_by, model.name).limit(limit))
    return [WithFill(row[0], _fill(row[0], row)) for row in session.execute(query)]


def delegations(session: Session, event: Event, *, scope: Any = None
                ) -> list[WithFill[Delegation]]:
    where = () if scope is None else (Delegation.id.in_(sorted(scope.delegation_ids)),)
    return with_fill(session, Delegation, event, where=where)


def companies(session: Session, event: Event, *, status: CompanyStatus | None = None,
              scope: Any = None) -> list[WithFill[Company]]:
    where: list[ColumnElement[bool]] = []
    if status is not None:
        where.append(Company.status == status)
    if scope is not None:
        where.append(Company.id.in_(sorted(scope.company_ids)))
    return with_fill(session, Company, event, where=tuple(where))


def fill_of(session: Session, org: T) -> WithFill[T]:
    """One delegation or company with its fill level (no roster)."""
    owner = _owner_column(type(org))
    counts = session.execute(tally(org.event_id, owner).where(owner == org.id)).first()
    return WithFill(org, _fill(org, counts))


def roster(session: Session, org: T) -> WithFill[T]:
    """One delegation or company with its members (every status) and its fill level."""
    owner = _owner_column(type(org))
    rows = session.execute(
        select(Participant.public_id, Participant.first_name, Participant.last_name,
               Participant.email, Participant.status, Category.slug, Participant.created_at)
        .join(Category, Category.id == Participant.category_id)
        .where(owner == org.id)
        .order_by(Participant.last_name, Participant.first_name, Participant.id))
    members = [Member(id=r[0], first_name=r[1], last_name=r[2], email=r[3],
                      status=r[4].value, category=r[5], created_at=r[6]) for r in rows]
    counts = {s: sum(1 for m in members if m.status == s.value) for s in _COUNTED}
    fill = Fill(quota=org.quota, taken=org.taken, **{s.value: n for s, n in counts.items()})
    return WithFill(org, fill, members)


def has_members(session: Session, org: Delegation | Company) -> bool:
    """Whether any participant (cancelled ones too: they keep their history) belongs to it."""
    owner = _owner_column(type(org))
    return session.scalar(select(Participant.id).where(owner == org.id).limit(1)) is not None
