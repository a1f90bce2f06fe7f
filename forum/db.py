"""Declarative base, column types and the database-engine rules shared by every domain."""

from __future__ import annotations

import contextlib
import contextvars
import enum
import fcntl
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
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


class QueuedWriterConnection(sqlite3.Connection):
    """A SQLite connection whose writers queue on a lock file before BEGIN IMMEDIATE.

    When the database is locked, SQLite's busy handler sleeps in growing steps (1, 2, 5, 10,
    … 100 ms) before it tries again, so under a steady stream of short writes (registrations,
    scans) most of the waiting is sleeping. Writers of all processes instead take an exclusive
    ``flock`` on ``<database>-writers`` first and hand it over as soon as they commit or roll
    back. It is a courtesy queue, not the guard: SQLite's own lock still decides, and a writer
    that waited 30 s goes ahead and lets the busy timeout answer.
    """

    _WAIT_LIMIT_S = 30.0

    def __init__(self, database, *args, **kwargs) -> None:
        super().__init__(database, *args, **kwargs)
        path = os.fspath(database)
        self._queue_fd: int | None = None
        if path and path != ":memory:" and not path.startswith("file:"):
            self._queue_fd = os.open(f"{path}-writers", os.O_RDWR | os.O_CREAT, 0o600)
        self._queued = False

    def enter_write_queue(self) -> None:
        if self._queue_fd is None or self._queued:
            return
        deadline = time.monotonic() + self._WAIT_LIMIT_S
        pause = 0.0002
        while True:
            try:
                fcntl.flock(self._queue_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return
                time.sleep(pause)
                pause = min(pause * 2, 0.002)
            else:
                self._queued = True
                return

    def _leave_write_queue(self) -> None:
        if self._queued:
            self._queued = False
            fcntl.flock(self._queue_fd, fcntl.LOCK_UN)

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._leave_write_queue()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._leave_write_queue()

    def close(self) -> None:
        self._leave_write_queue()
        if self._queue_fd is not None:
            os.close(self._queue_fd)
            self._queue_fd = None
        super().close()


# A pooled server connection idle for longer than this is pinged before it is used again.
IDLE_PING_SECONDS = 10.0


def engine_options(database_url: str) -> dict:
    """Engine options per backend, for Flask-SQLAlchemy's SQLALCHEMY_ENGINE_OPTIONS."""
    if database_url.startswith("sqlite"):
        return {"connect_args": {"factory": QueuedWriterConnection}}
    # No pre-ping: it is a round trip before every transaction (one of a scan's eight
    # statements on PostgreSQL). A connection is pinged only after it sat idle (see
    # _ping_when_idle); one lost while busy fails its request with 503 database_unavailable,
    # and SQLAlchemy then discards every pooled connection as old as it.
    return {"pool_pre_ping": False, "pool_recycle": 3600}


def _ping_when_idle(engine: Engine) -> None:
    """Ping a connection on checkout only when it sat in the pool past IDLE_PING_SECONDS:
    a server restart or a dropped idle connection is found before the request uses it,
    while a busy worker's connection, just used, goes straight to work."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_conn, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check(dbapi_conn, record, _proxy) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            with dbapi_conn.cursor() as cur:
                cur.execute("SELECT 1")
            dbapi_conn.rollback()
        except Exception as exc:
            # The pool discards this connection and checks out another (or a new one).
            raise DisconnectionError("an idle connection no longer answers") from exc


def configure_engine(engine: Engine) -> None:
    """Apply per-backend connection settings (SQLite: WAL, foreign keys, busy timeout;
    server databases: a ping only for connections that sat idle)."""
    if engine.dialect.name != "sqlite":
        _ping_when_idle(engine)
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
        # Reads through the OS page cache without a read() per page: a text search over
        # 200,000 participants visits thousands of scattered rows (25-45% faster in
        # bench/search.py); a file smaller than this is mapped whole.
        cur.execute("PRAGMA mmap_size=268435456")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = _sqlite_begin.get()
        dbapi_conn = conn.connection.dbapi_connection
        if mode == "BEGIN IMMEDIATE" and isinstance(dbapi_conn, QueuedWriterConnection):
            dbapi_conn.enter_write_queue()
        conn.exec_driver_sql(mode)
