"""The organizers' dashboard: aggregate figures of an event, with no personal data in them.

Reading participant rows is what costs, so the figures come from two grouped passes over
the event's participants: one by (category, status, country, delegation, company), from
which categories, countries, delegation and company fill levels and pending counts are all
summed; one by local day. Python then walks groups (a few hundred), never rows. ``etag`` is
a cheap fingerprint of everything the figures read, so a panel polling every few seconds
gets a 304 without the figures being computed again.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forum.audit.models import AuditEntry
from forum.checkin import stats as checkin_stats
from forum.checkin.models import Checkin
from forum.dashboard.days import per_day
from forum.events.models import Category, Event
from forum.organizations.members import Fill
from forum.organizations.models import Company, CompanyStatus, Delegation
from forum.registration.models import ACTIVE_STATUSES, Participant, Status

# Bump when the shape of the answer changes, so no client keeps an old body on a 304.
_VERSION = 1
_COUNTED = ("confirmed", "pending", "waitlisted")


def local_day(event: Event, now: datetime) -> date:
    return now.astimezone(ZoneInfo(event.timezone)).date()


def is_event_day(event: Event, day: date) -> bool:
    return event.starts_on <= day <= event.ends_on


def etag(session: Session, event: Event, *, now: datetime, top: int) -> str:
    """A tag that changes whenever any figure may have changed.

    Every change to registrations, delegations and companies writes an audit entry of the
    event (a project-wide rule), and every scan writes a check-in row; with the local day
    (per-day series, which day's check-ins) that is all the figures depend on.
    """
    day = local_day(event, now)
    last_change = (select(func.max(AuditEntry.id)).where(AuditEntry.event_id == event.id)
                   .scalar_subquery())
    last_scan = (select(func.max(Checkin.id))
                 .where(Checkin.event_id == event.id, Checkin.event_day == day)
                 .scalar_subquery())
    change, scan = session.execute(select(last_change, last_scan)).one()
    key = json.dumps([_VERSION, event.id, day.isoformat(), change, scan, top])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@dataclass
class _Tally:
    """Participants counted per status along each dimension, from one grouped pass."""

    category: defaultdict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    delegation: defaultdict[int, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter))
    company: defaultdict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    country: Counter[str] = field(default_factory=Counter)  # active registrations only


def _tally(session: Session, event: Event) -> _Tally:
    tally = _Tally()
    active = {s.value for s in ACTIVE_STATUSES}
    dims = (Participant.category_id, Participant.status, Participant.country,
            Participant.delegation_id, Participant.company_id)
    for category_id, status, country, delegation_id, company_id, count in session.execute(
            select(*dims, func.count()).where(Participant.event_id == event.id)
            .group_by(*dims)):
        status = Status(status).value
        tally.category[category_id][status] += count
        if delegation_id is not None:
            tally.delegation[delegation_id][status] += count
        if company_id is not None:
            tally.company[company_id][status] += count
        if status in active:
            tally.country[country] += count
    return tally


def figures(session: Session, event: Event, *, now: datetime, top: int) -> dict[str, Any]:
    """Every figure of the dashboard; ``top`` rows of countries and companies."""
    day = local_day(event, now)
    tally = _tally(session, event)
    categories = _categories(session, event, tally)
    companies = _companies(session, event, tally, top=top)
    return {
        "event": event.slug, "timezone": event.timezone, "day": day,
        "capacity": {"quota": event.quota, "taken": event.taken},
        "registrations": per_day(session, event, until=day),
        "categories": categories,
        "countries": _countries(tally, top=top),
        "delegations": _delegations(session, event, tally),
        "companies": companies,
        "pending": {"participants": sum(c["pending"] for c in categories),
                    "companies": companies["totals"]["pending"]},
        "checkin": (checkin_stats.figures(session, event, day=day, now=now)
                    if is_event_day(event, day) else None),
    }


def _fill(pool: Any, counts: Counter[str]) -> Fill:
    return Fill(quota=pool.quota, taken=pool.taken, **{s: counts[s] for s in _COUNTED})


def _categories(session: Session, event: Event, tally: _Tally) -> list[dict[str, Any]]:
    return [{"slug": c.slug, "names": c.names, **vars(_fill(c, tally.category[c.id]))}
            for c in session.scalars(select(Category).where(Category.event_id == event.id)
                                     .order_by(Category.position))]


def _countries(tally: _Tally, *, top: int) -> dict[str, Any]:
    """The ``top`` countries by active registrations, and the rest summed as "other"."""
    ranked = sorted(tally.country.items(), key=lambda item: (-item[1], item[0]))
    rest = ranked[top:]
    return {"top": [{"country": country, "count": n} for country, n in ranked[:top]],
            "other": {"countries": len(rest), "count": sum(n for _c, n in rest)},
            "total": sum(tally.country.values())}


def _row(org: Delegation | Company, counts: Counter[str]) -> dict[str, Any]:
    """A delegation's or company's name and fill level; its contact people stay out."""
    return {"id": org.public_id, "name": org.name, "country": org.country,
            **vars(_fill(org, counts))}


def _delegations(session: Session, event: Event, tally: _Tally) -> list[dict[str, Any]]:
    return [_row(d, tally.delegation[d.id]) for d in session.scalars(
        select(Delegation).where(Delegation.event_id == event.id).order_by(Delegation.name))]


def _companies(session: Session, event: Event, tally: _Tally, *, top: int
               ) -> dict[str, Any]:
    """The largest approved companies by seats taken, and totals over all of them."""
    companies = list(session.scalars(select(Company).where(Company.event_id == event.id)))
    approved = [c for c in companies if c.status is CompanyStatus.APPROVED]
    approved.sort(key=lambda c: (-c.taken, c.name))
    states = Counter(c.status.value for c in companies)
    people: Counter[str] = Counter()
    for counts in tally.company.values():
        people.update(counts)
    totals = {
        "companies": len(companies), "exhibitors": sum(c.exhibitor for c in companies),
        **{s.value: states[s.value] for s in CompanyStatus},
        "quota": sum(c.quota or 0 for c in companies),
        "unlimited": sum(c.quota is None for c in companies),
        "taken": sum(c.taken for c in companies),
        "members": {s: people[s] for s in _COUNTED},
    }
    return {"top": [_row(c, tally.company[c.id]) for c in approved[:top]], "totals": totals}
