"""Seat counters shared by events, categories, delegations and companies.

A pool is a row with ``quota`` (NULL = unlimited) and ``taken``. Seats are taken with a
conditional ``UPDATE … SET taken = taken + 1 WHERE taken < quota``: the row lock (PostgreSQL)
or the write lock (SQLite, BEGIN IMMEDIATE) makes the check and the write one step, and a
CHECK constraint ``taken <= quota`` is the second guard. Pools are always taken in the same
order (event, category, delegation, company) so two transactions cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import CheckConstraint, Integer, or_, update
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


def try_take(session: Session, pools: Sequence[QuotaMixin]) -> bool:
    """Take one seat in every pool, or in none. Returns whether the seats were taken."""
    with session.begin_nested() as savepoint:
        for pool in pools:
            cls = type(pool)
            result = session.execute(
                update(cls)
                .where(cls.id == pool.id, or_(cls.quota.is_(None), cls.taken < cls.quota))
                .values(taken=cls.taken + 1)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                savepoint.rollback()
                return False
    for pool in pools:
        session.expire(pool, ["taken"])
    return True


def give_back(session: Session, pools: Sequence[QuotaMixin]) -> None:
    """Return one seat to every pool (the participant held one in each)."""
    for pool in pools:
        cls = type(pool)
        session.execute(
            update(cls)
            .where(cls.id == pool.id, cls.taken > 0)
            .values(taken=cls.taken - 1)
            .execution_options(synchronize_session=False)
        )
        session.expire(pool, ["taken"])
