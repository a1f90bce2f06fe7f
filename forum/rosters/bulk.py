"""Writing an import's registrations in bulk, with the registration service's rules.

``registration.service.register`` costs about 1.5 ms per row on SQLite on the 2-core
development machine (a category and an email lookup, one conditional UPDATE per seat pool, an
INSERT and an audit INSERT, each its own statement): 30 s for a 20,000-row roster, over the
20 s target before parsing and validation are counted. New registrations are therefore
written here with one executemany INSERT, their seats planned in memory against the pools'
counters read under lock (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write lock is held
since BEGIN IMMEDIATE) and settled with one relative UPDATE per pool, like ``forum.demo``.
The rules are the service's, applied in the same order: a category that needs approval makes
the registration pending; otherwise it is confirmed when every pool it draws from (event,
category, delegation, company — ``Participant.pools``) has a seat left, else waitlisted. The
search key comes from ``registration.models.search_key``, and each registration gets the same
``registration.create`` audit entry. ``tests/rosters/test_bulk.py`` checks that both paths
give the same statuses and counters. The pools' CHECK constraints stay the last guard.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from forum.audit.models import AuditEntry
from forum.db import opaque_id
from forum.errors import Conflict
from forum.events.models import Category, Event
from forum.organizations.models import Company, Delegation
from forum.quota import QuotaMixin
from forum.registration.models import (
    Locale,
    Participant,
    Status,
    initial_status,
    search_key,
    seat_pools,
)
from forum.tokens import new_token, token_hash

# Personal fields an import may change on an existing registration.
UPDATABLE = ("first_name", "last_name", "first_name_cyrillic", "last_name_cyrillic", "phone",
             "country", "organization", "job_title", "locale")
_TABLE = Participant.__table__
_INSERT = insert(_TABLE)
_UPDATE = (update(_TABLE).where(_TABLE.c.id == bindparam("row_id"))
           .values({name: bindparam(name) for name in (*UPDATABLE, "search_key", "updated_at")}))
_AUDIT = insert(AuditEntry.__table__)
_ANALYZE_ROWS = 1_000
_POOL_TABLES = {model.__tablename__: model.__table__ for model in (Event, Category, Delegation,
                                                                  Company)}


@dataclass
class NewRegistration:
    row: int
    values: dict  # validated row fields
    category: Category
    delegation: Delegation | None
    company: Company | None
    status: Status | None = None

    def pools(self, event: Event) -> list[QuotaMixin]:
        return seat_pools(event, self.category, self.delegation, self.company)


@dataclass
class Change:
    row: int
    participant_id: int
    public_id: str
    current: dict  # the stored values of UPDATABLE and email
    changes: dict


@dataclass
class SeatPlan:
    """Seats this import hands out, planned against the pools' counters as read."""

    room: dict[tuple[str, int], int | None] = field(default_factory=dict)
    added: Counter = field(default_factory=Counter)

    def status(self, event: Event, registration: NewRegistration) -> Status:
        """The registration service's rule, with seats counted here instead of taken."""
        return initial_status(registration.category, lambda: self._take(event, registration))

    def _take(self, event: Event, registration: NewRegistration) -> bool:
        keys = []
        for pool in registration.pools(event):
            key = (pool.__tablename__, pool.id)
            if key not in self.room:
                self.room[key] = None if pool.quota is None else pool.quota - pool.taken
            keys.append(key)
        if all(self.room[k] is None or self.room[k] - self.added[k] > 0 for k in keys):
            for key in keys:
                self.added[key] += 1
            return True
        return False

    def settle(self, session: Session) -> None:
        """Add the planned seats to each pool; a pool that would go over its quota stops all."""
        connection = session.connection()
        for (table_name, pool_id), delta in sorted(self.added.items()):
            table = _POOL_TABLES[table_name]
            done = connection.execute(
                update(table).where(table.c.id == pool_id,
                                    or_(table.c.quota.is_(None),
                                        table.c.taken + delta <= table.c.quota))
                .values(taken=table.c.taken + delta))
            if done.rowcount != 1:
                raise Conflict("Seats changed while the roster was imported; try again.",
                               code="quota_changed")


def read_pools(session: Session, event: Event, registrations: Iterable[NewRegistration], *,
               lock: bool) -> None:
    """Refresh the counters of every pool the registrations draw from, locked when asked,
    in the seat-taking order (event, categories, delegations, companies)."""
    ids: dict[type, set[int]] = {Category: set(), Delegation: set(), Company: set()}
    for registration in registrations:
        for pool in (registration.category, registration.delegation, registration.company):
            if pool is not None:
                ids[type(pool)].add(pool.id)
    query = select(Event).where(Event.id == event.id)
    session.scalar(_fresh(query, lock))
    for model, wanted in ids.items():
        if wanted:
            session.scalars(_fresh(select(model).where(model.id.in_(sorted(wanted)))
                                   .order_by(model.id), lock)).all()


def _fresh(query, lock: bool):
    query = query.execution_options(populate_existing=True)
    return query.with_for_update() if lock else query


def insert_registrations(session: Session, *, event: Event,
                         registrations: list[NewRegistration], now: datetime,
                         actor: str) -> None:
    """One INSERT for all new registrations (statuses already planned), then their audit."""
    rows = []
    for registration in registrations:
        values, company = registration.values, registration.company
        row = {
            "public_id": opaque_id(), "event_id": event.id,
            "category_id": registration.category.id,
            "delegation_id": registration.delegation.id if registration.delegation else None,
            "company_id": company.id if company else None,
            "status": registration.status,
            **{name: values[name] for name in ("first_name", "last_name", "first_name_cyrillic",
                                               "last_name_cyrillic", "email", "phone",
                                               "country", "job_title")},
            "organization": values["organization"] or (company.name if company else ""),
            "locale": Locale(values["locale"]),
            # Nobody holds this link: the participant asks for a new one to manage their data.
            "manage_token_hash": token_hash(new_token()),
            "consent_at": now, "created_at": now, "updated_at": now, "decided_at": None,
        }
        row["search_key"] = search_key(row)
        rows.append(row)
    if not rows:
        return
    connection = session.connection()
    connection.execute(_INSERT, rows)
    if len(rows) >= _ANALYZE_ROWS and connection.dialect.name == "postgresql":
        # Without fresh statistics the planner still takes the event for nearly empty: a
        # re-import's email lookups then filter every row of the event (19 s of 31 s for
        # 20,000 rows in bench/rosters.py), and so would the desk's search.
        connection.exec_driver_sql("ANALYZE participant")
    _audit_many(session, actor=actor, action="registration.create", event=event, now=now,
                entries=[(row["public_id"], {"status": row["status"].value,
                                             "category": registration.category.slug,
                                             "via": "roster"})
                         for registration, row in zip(registrations, rows, strict=True)])


def apply_changes(session: Session, *, event: Event, changes: list[Change], now: datetime,
                  actor: str) -> None:
    """One executemany UPDATE for the changed registrations, then their audit entries."""
    if not changes:
        return
    params = []
    for change in changes:
        merged = {**change.current, **change.changes}
        params.append({"row_id": change.participant_id, "search_key": search_key(merged),
                       "updated_at": now, **{name: merged[name] for name in UPDATABLE}})
    session.connection().execute(_UPDATE, params)
    changed_ids = {change.participant_id for change in changes}
    # The session may hold some of these rows: they must not keep the old values.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Participant) and obj.id in changed_ids:
            session.expire(obj)
    _audit_many(session, actor=actor, action="registration.update", event=event, now=now,
                entries=[(change.public_id, {"fields": sorted(change.changes), "via": "roster"})
                         for change in changes])


def _audit_many(session: Session, *, actor: str, action: str, event: Event, now: datetime,
                entries: list[tuple[str, dict]]) -> None:
    """The entries ``audit.record`` writes for single registrations, in one executemany
    (20,000 separate statements cost about 3 s on SQLite)."""
    session.connection().execute(_AUDIT, [
        {"actor": actor, "action": action, "target_type": "participant", "target_id": target,
         "event_id": event.id, "data": data, "at": now} for target, data in entries])
