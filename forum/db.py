"""Declarative base, column types and the database-engine rules shared by every domain."""

from __future__ import annotations

import contextlib
import contextvars
import enum
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Stable constraint names: migrations can alter them and the error handler maps them to codes.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The wall clock, for the HTTP layer to hand to services as ``now=``."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite stores it as naive UTC text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def str_enum(cls: type[enum.Enum], length: int = 16) -> Enum:
    """Store an enum by its value in a VARCHAR (portable, and readable in SQL)."""
    return Enum(cls, native_enum=False, length=length,
                values_callable=lambda members: [m.value for m in members])


def opaque_id() -> str:
    """A public identifier that says nothing about order or volume (16 chars, url-safe)."""
    return secrets.token_urlsafe(12)


# --- SQLite transaction mode -------------------------------------------------------------
# A SQLite transaction that starts as a reader and later writes can fail with SQLITE_BUSY
# when another writer committed in between; the busy timeout cannot help there. Writing
# requests therefore open their transaction with BEGIN IMMEDIATE (take the write lock first),
# which serialises writers the way row locks do on PostgreSQL. Read-only requests stay
# DEFERRED so they run in parallel with writers under WAL.
_sqlite_begin: contextvars.ContextVar[str] = contextvars.ContextVar(
    "sqlite_begin", default="BEGIN IMMEDIATE"
)


@contextlib.contextmanager
def sqlite_begin_mode(mode: str) -> Iterator[None]:
    token = _sqlite_begin.set(mode)
    try:
        yield
    finally:
        _sqlite_begin.reset(token)


def set_sqlite_begin_mode(mode: str) -> contextvars.Token[str]:
    return _sqlite_begin.set(mode)


def reset_sqlite_begin_mode(token: contextvars.Token[str]) -> None:
    _sqlite_begin.reset(token)


def configure_engine(engine: Engine) -> None:
    """Apply per-backend connection settings (SQLite: WAL, foreign keys, busy timeout)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's "begin" hook emit BEGIN itself, so it can choose IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql(_sqlite_begin.get())


def is_sqlite(engine_or_session) -> bool:
    bind = getattr(engine_or_session, "bind", engine_or_session)
    return bind.dialect.name == "sqlite"
