"""Building the demo event: the event and its organisations once, participants in bulk, then
its program once (forum.demo.program).

Participants are inserted with bulk ``INSERT``s (no ORM unit of work per row) and the seat
counters are settled afterwards with one relative ``UPDATE`` per pool: the allocation is
planned in memory against the pools' remaining seats, read under lock, so every counter
ends equal to the confirmed participants drawing on it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from forum.audit import service as audit
from forum.checkin.demo import setup_demo_zones, setup_room_zones
from forum.db import opaque_id
from forum.demo import catalog
from forum.demo.organizations import create_organizations
from forum.demo.people import PeopleFactory, ascii_slug, weighted
from forum.demo.program import build_program
from forum.errors import Conflict
from forum.events.models import Category, Event
from forum.organizations.models import Company, CompanyStatus, Delegation
from forum.registration.models import Participant, Status, search_key
from forum.tokens import new_token, token_hash

TIMEZONE = "Asia/Almaty"
BATCH_SIZE = 2_500

# What kinds of people register, per mille; "company" is a non-exhibiting company's staff.
KIND_WEIGHTS = (("attendee", 625), ("delegate", 100), ("exhibitor", 80), ("company", 100),
                ("press", 25), ("speaker", 12), ("vip", 6), ("staff", 12), ("volunteer", 20))
KIND_CATEGORY = {"company": "attendee"}
PRESS_STATUSES = ((Status.PENDING, 60), (Status.CONFIRMED, 32), (Status.REJECTED, 8))
CANCELLED_SHARE = 0.03


@dataclass
class _Pool:
    """A seat counter as read at the start, plus the seats this run hands out."""

    table: Table
    id: int
    quota: int | None
    taken: int
    added: int = 0

    def has_room(self) -> bool:
        return self.quota is None or self.taken + self.added < self.quota


@dataclass
class _Group:
    pool: _Pool
    country: str
    name: str = ""
    domain: str | None = None


def recolour_retired(session: Session, event: Event) -> int:
    """Give categories still wearing a retired colour its successor; returns how many."""
    changed = 0
    for slug, (old, new) in catalog.RETIRED_COLOURS.items():
        changed += session.execute(
            update(Category).where(Category.event_id == event.id, Category.slug == slug,
                                   func.lower(Category.badge_colour) == old)
            .values(badge_colour=new)).rowcount
    return changed


def build_demo(session: Session, *, slug: str, participants: int, seed: int, now: datetime,
               progress: Callable[[int], object] = lambda _n: None) -> str:
    """Create the demo event (or top it up to ``participants``); returns a summary."""
    event = session.scalar(select(Event).where(Event.slug == slug).with_for_update()
                           .execution_options(populate_existing=True))
    created = event is None
    if event is None:
        event = _create_event(session, slug=slug, now=now)
        create_organizations(session, event, rng=random.Random(f"{seed}:organizations"),
                             now=now)
        session.flush()
    recolour_retired(session, event)
    # Zones and gates open on the demo days, so a new user can scan right away.
    setup_demo_zones(session, event, now=now)
    existing = session.scalar(
        select(func.count()).select_from(Participant).where(Participant.event_id == event.id))
    progress(min(existing, participants))
    added = 0
    if participants > existing:
        builder = _ParticipantBuilder(session, event, now=now,
                                      rng=random.Random(f"{seed}:participants:{existing}"))
        added = builder.add(participants - existing, progress)
        audit.record(session, actor="cli:demo", action="demo.participants", target_type="event",
                     target_id=event.slug, event_id=event.id, now=now,
                     data={"added": added, "seed": seed})
    session.flush()
    program = build_program(session, event, rng=random.Random(f"{seed}:program"), now=now)
    setup_room_zones(session, event, now=now)  # workshop doors admit their booked people
    summary = _summary(session, event, created=created, existing=existing, added=added,
                       asked=participants)
    return f"{summary}\n{program}" if program else summary


def _create_event(session: Session, *, slug: str, now: datetime) -> Event:
    tz = ZoneInfo(TIMEZONE)
    starts_on = now.astimezone(tz).date()
    ends_on = starts_on + timedelta(days=1)
    closes = datetime.combine(ends_on + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
    event = Event(slug=slug, name=f"Digital Bridge {starts_on.year}",
                  venue="EXPO Congress Centre, Astana Hub", city="Astana", country="KZ",
                  venue_names={"en": "EXPO Congress Centre, Astana Hub",
                               "kk": "EXPO конгресс-орталығы, Astana Hub",
                               "ru": "Конгресс-центр EXPO, Astana Hub"},
                  city_names={"en": "Astana", "kk": "Астана", "ru": "Астана"},
                  timezone=TIMEZONE, starts_on=starts_on, ends_on=ends_on,
                  registration_opens_at=now - timedelta(days=60),
                  registration_closes_at=closes,
                  # Set up before registration opened, so the demo's history reads in order.
                  created_at=now - timedelta(days=90),
                  quota=catalog.EVENT_CAPACITY, taken=0)
    session.add(event)
    for position, spec in enumerate(catalog.CATEGORIES):
        session.add(Category(event=event, slug=spec.slug, names=dict(spec.names),
                             admission=spec.admission, needs_approval=spec.needs_approval,
                             badge_colour=spec.badge_colour, position=position,
                             quota=spec.quota, taken=0))
    session.flush()
    return event


class _ParticipantBuilder:
    """Plans and inserts participants against the event's current seat pools."""

    def __init__(self, session: Session, event: Event, *, now: datetime,
                 rng: random.Random) -> None:
        self.session, self.event, self.now, self.rng = session, event, now, rng
        self.event_pool = _Pool(Event.__table__, event.id, event.quota, event.taken)
        categories = session.scalars(
            select(Category).where(Category.event_id == event.id).with_for_update()
            .execution_options(populate_existing=True)).all()
        self.categories = {c.slug: (c, _Pool(Category.__table__, c.id, c.quota, c.taken))
                           for c in categories}
        if "attendee" not in self.categories:
            raise Conflict(f"The event '{event.slug}' has no attendee category.",
                           code="demo_event_incompatible")
        self.delegations = [
            _Group(_Pool(Delegation.__table__, d.id, d.quota, d.taken), d.country, d.name)
            for d in session.execute(
                select(Delegation.id, Delegation.quota, Delegation.taken, Delegation.country,
                       Delegation.name)
                .where(Delegation.event_id == event.id).order_by(Delegation.id)
                .with_for_update())]
        companies = [
            (c.exhibitor, _Group(_Pool(Company.__table__, c.id, c.quota, c.taken), c.country,
                                 c.name, c.website.removeprefix("https://") or None))
            for c in session.execute(
                select(Company.id, Company.quota, Company.taken, Company.country, Company.name,
                       Company.website, Company.exhibitor)
                .where(Company.event_id == event.id, Company.status == CompanyStatus.APPROVED)
                .order_by(Company.id).with_for_update())]
        self.exhibitors = [g for exhibitor, g in companies if exhibitor]
        self.other_companies = [g for exhibitor, g in companies if not exhibitor]
        self.company_names = [g.name for _, g in companies] or [catalog.ORGANIZER]
        self.kinds = tuple((kind, weight) for kind, weight in KIND_WEIGHTS
                           if KIND_CATEGORY.get(kind, kind) in self.categories)
        taken_emails = set(session.scalars(
            select(Participant.email).where(Participant.event_id == event.id)))
        self.people = PeopleFactory(rng, taken_emails)

    def add(self, count: int, progress: Callable[[int], object]) -> int:
        opens = self.event.registration_opens_at or self.now - timedelta(days=60)
        span = max((self.now - opens).total_seconds(), 0.0)
        # Arrival times rise with the row id, as they would for real registrations.
        offsets = sorted(self.rng.random() * span for _ in range(count))
        for start in range(0, count, BATCH_SIZE):
            rows = [self._row(opens + timedelta(seconds=offset))
                    for offset in offsets[start:start + BATCH_SIZE]]
            # render_nulls keeps NULL columns in every row, so each batch is one executemany
            # instead of a statement per run of rows with the same NULL pattern.
            self.session.execute(insert(Participant).execution_options(render_nulls=True), rows)
            progress(len(rows))
        self._settle_counters()
        return count

    def _row(self, created_at: datetime) -> dict:
        rng = self.rng
        kind = weighted(rng, self.kinds)
        status = (weighted(rng, PRESS_STATUSES) if kind == "press"
                  else Status.CANCELLED if rng.random() < CANCELLED_SHARE else Status.CONFIRMED)
        seat = status is Status.CONFIRMED
        delegation = company = None
        if kind == "delegate":
            delegation = self._pick(self.delegations, seat)
        elif kind in ("exhibitor", "company"):
            company = self._pick(self.exhibitors if kind == "exhibitor" else self.other_companies,
                                 seat)
        if kind in ("delegate", "exhibitor", "company") and delegation is None and company is None:
            kind = "attendee"  # every group is full: they register on their own instead
        category, category_pool = self.categories[KIND_CATEGORY.get(kind, kind)]
        if seat:
            pools = [self.event_pool, category_pool]
            pools += [g.pool for g in (delegation, company) if g is not None]
            if all(p.has_room() for p in pools):
                for pool in pools:
                    pool.added += 1
            else:
                status = Status.WAITLISTED
        country, organization, domain, job_title = self._background(kind, delegation, company)
        person = self.people.person(country, domain=domain)
        updated_at, decided_at = self._history(status, created_at, reviewed=kind == "press")
        row = {
            "public_id": opaque_id(),
            "event_id": self.event.id, "category_id": category.id,
            "delegation_id": delegation.pool.id if delegation else None,
            "company_id": company.pool.id if company else None, "status": status,
            "first_name": person.first_name, "last_name": person.last_name,
            "first_name_cyrillic": person.first_name_cyrillic,
            "last_name_cyrillic": person.last_name_cyrillic,
            "email": person.email, "phone": person.phone, "country": country,
            "organization": organization, "job_title": job_title, "locale": person.locale,
            # Demo registrants get no usable link: the token is thrown away at once.
            "manage_token_hash": token_hash(new_token()),
            "consent_at": created_at, "created_at": created_at, "updated_at": updated_at,
            "decided_at": decided_at,
        }
        row["search_key"] = search_key(row)
        return row

    def _pick(self, groups: list[_Group], seat: bool) -> _Group | None:
        """A group for a new member; one with a free seat when the member takes one."""
        if not groups:
            return None
        for _ in range(8):
            group = self.rng.choice(groups)
            if not seat or group.pool.has_room():
                return group
        with_room = [g for g in groups if g.pool.has_room()]
        return self.rng.choice(with_room) if with_room else None

    def _background(self, kind: str, delegation: _Group | None, company: _Group | None
                    ) -> tuple[str, str, str | None, str]:
        """Country, organization, email domain (None: a personal one) and job title."""
        rng = self.rng
        title = rng.choice(catalog.JOB_TITLES[kind if kind != "company" else "attendee"])
        if delegation is not None:
            domain = f"{delegation.country.lower()}.gov.example.org"
            return delegation.country, rng.choice(catalog.GOVERNMENT_BODIES), domain, title
        if company is not None:
            return company.country, company.name, company.domain, title
        if kind == "press":
            outlet = rng.choice(catalog.PRESS_OUTLETS)
            country = "KZ" if rng.random() < 0.7 else weighted(rng, catalog.ATTENDEE_COUNTRIES)
            return country, outlet, f"{ascii_slug(outlet)}.example.net", title
        if kind in ("speaker", "vip"):
            country = ("KZ" if rng.random() < 0.45
                       else rng.choice(tuple(catalog.DELEGATIONS)))
            organization = (rng.choice(catalog.VIP_ORGANIZATIONS) if kind == "vip"
                            else rng.choice(self.company_names))
            return country, organization, None, title
        if kind == "staff":
            return "KZ", catalog.ORGANIZER, "digital-bridge.example.kz", title
        if kind == "volunteer":
            return "KZ", catalog.ORGANIZER, None, title
        country = weighted(rng, catalog.ATTENDEE_COUNTRIES)
        roll = rng.random()
        if roll < 0.55:
            return country, rng.choice(self.company_names), None, title
        if roll < 0.75:
            return country, rng.choice(catalog.UNIVERSITIES), None, rng.choice(
                ("Student", "Lecturer", "Researcher"))
        return country, "", None, title

    def _history(self, status: Status, created_at: datetime, *, reviewed: bool
                 ) -> tuple[datetime, datetime | None]:
        """``updated_at`` and ``decided_at`` of a registration with this outcome."""
        if reviewed and status in (Status.CONFIRMED, Status.REJECTED):
            decided = min(created_at + timedelta(hours=self.rng.uniform(2, 72)), self.now)
            return decided, decided
        if status is Status.CANCELLED:
            return min(created_at + timedelta(days=self.rng.uniform(0.5, 10)), self.now), None
        return created_at, None

    def _settle_counters(self) -> None:
        """Add this run's confirmed seats to every pool, one relative UPDATE per pool."""
        pools = [self.event_pool, *(pool for _, pool in self.categories.values()),
                 *(g.pool for g in self.delegations), *(g.pool for g in self.exhibitors),
                 *(g.pool for g in self.other_companies)]
        by_table: dict[Table, list[dict]] = {}
        for pool in pools:
            if pool.added:
                by_table.setdefault(pool.table, []).append(
                    {"pool_id": pool.id, "delta": pool.added})
        for table, params in by_table.items():
            self.session.execute(
                update(table).where(table.c.id == bindparam("pool_id"))
                .values(taken=table.c.taken + bindparam("delta")), params)
        # The ORM copies of the event and its categories hold the old counts.
        self.session.expire(self.event, ["taken"])
        for category, _ in self.categories.values():
            self.session.expire(category, ["taken"])


def _summary(session: Session, event: Event, *, created: bool, existing: int, added: int,
             asked: int) -> str:
    by_status = dict(session.execute(
        select(Participant.status, func.count()).where(Participant.event_id == event.id)
        .group_by(Participant.status)).all())
    total = sum(by_status.values())
    if created:
        delegations = session.scalar(select(func.count()).select_from(Delegation)
                                     .where(Delegation.event_id == event.id))
        companies = session.scalar(select(func.count()).select_from(Company)
                                   .where(Company.event_id == event.id))
        exhibitors = session.scalar(select(func.count()).select_from(Company).where(
            Company.event_id == event.id, Company.exhibitor.is_(True)))
        head = (f"Created {event.name} ({event.slug}), {event.starts_on:%Y-%m-%d} to "
                f"{event.ends_on:%Y-%m-%d}, {event.venue}, {event.city}: "
                f"{len(catalog.CATEGORIES)} categories, {delegations} delegations, "
                f"{companies} companies ({exhibitors} exhibitors).")
    elif added:
        head = (f"Event {event.slug} already exists: participants topped up from {existing} "
                f"to {total}.")
    else:
        head = (f"Event {event.slug} already exists with {existing} participants "
                f"(asked for {asked}): nothing added.")
    statuses = ", ".join(f"{s.value} {by_status[s]}" for s in Status if by_status.get(s))
    return "\n".join([
        head,
        f"Participants: {added} added, {total} in total ({statuses or 'none'}).",
        f"Registration page: /register?event={event.slug}",
    ])
