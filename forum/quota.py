"""Seat counters shared by events, categories, delegations and companies.

A pool is a row with ``quota`` (NULL = unlimited) and ``taken``. Seats are taken with a
conditional ``UPDATE … SET taken = taken + 1 WHERE taken < quota``: the row lock (PostgreSQL)
or the write lock (SQLite, BEGIN IMMEDIATE) makes the check and the write one step, and a
CHECK constraint ``taken <= quota`` is the second guard. Pools are always taken in the same
order (event, category, delegation, company) so two transactions cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from sqlalchemy import CheckConstraint, Integer, Table, Update, bindparam, or_, update
from sqlalchemy.orm import Mapped, Session, mapped_column


def quota_constraints() -> tuple[CheckConstraint, ...]:
    """The table constraints of a pool; each table calls this for its own copies."""
    return (
        CheckConstraint("quota IS NULL OR quota >= 0", name="quota_nonneg"),
        CheckConstraint("taken >= 0", name="taken_nonneg"),
        CheckConstraint("quota IS NULL OR taken <= quota", name="taken_within_quota"),
    )


class QuotaMixin:
    """Adds ``quota``/``taken`` columns to a pool table (with ``quota_constraints()``)."""

    id: Mapped[int]
    quota: Mapped[int | None] = mapped_column(Integer, nullable=True)
    taken: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @property
    def remaining(self) -> int | None:
        return None if self.quota is None else max(self.quota - self.taken, 0)


@cache
def _statements(table: Table) -> tuple[Update, Update]:
    """Prebuilt take/give statements per pool table (compiled and cached once)."""
    take = (update(table)
            .where(table.c.id == bindparam("pool_id"),
                   or_(table.c.quota.is_(None), table.c.taken < table.c.quota))
            .values(taken=table.c.taken + 1))
    give = (update(table).where(table.c.id == bindparam("pool_id"), table.c.taken > 0)
            .values(taken=table.c.taken - 1))
    return take, give


def _take_one(connection, pool: QuotaMixin) -> bool:
    take, _give = _statements(type(pool).__table__)
    return connection.execute(take, {"pool_id": pool.id}).rowcount == 1


def _give_one(connection, pool: QuotaMixin) -> None:
    _take, give = _statements(type(pool).__table__)
    connection.execute(give, {"pool_id": pool.id})


def try_take(session: Session, pools: Sequence[QuotaMixin]) -> bool:
    """Take one seat in every pool, or in none. Returns whether the seats were taken.

    Core statements on the session's connection: this runs for every registration, and the
    ORM's bulk-update machinery would cost more than the statements themselves. When a later
    pool is full, the seats already taken are given back; this transaction still holds their
    row locks (or SQLite's write lock), so nobody saw them in between.
    """
    connection = session.connection()
    taken: list[QuotaMixin] = []
    for pool in pools:
        if not _take_one(connection, pool):
            for done in reversed(taken):
                _give_one(connection, done)
            return False
        taken.append(pool)
    for pool in pools:
        session.expire(pool, ["taken"])
    return True


def give_back(session: Session, pools: Sequence[QuotaMixin]) -> None:
    """Return one seat to every pool (the participant held one in each)."""
    connection = session.connection()
    for pool in pools:
        _give_one(connection, pool)
        session.expire(pool, ["taken"])
