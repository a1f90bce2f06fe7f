"""The yardstick: a bare Flask app doing one primary-key lookup and one insert per request,
with the plain database driver (sqlite3, psycopg) and statements prepared once.

This is the physical limit of the machine for the forum's hot paths: no ORM, no SQLAlchemy
Core, no pool and no pre-ping, one connection per worker process, opened on its first
request. It answers the same URLs as the forum's hot endpoints, so one wrk script drives
both, and runs on the same kind of database with the same settings as ``forum.db``:

- SQLite: WAL, synchronous=NORMAL, foreign keys, a busy timeout, writers queued on the
  forum's lock file (``QueuedWriterConnection``, a ``sqlite3.Connection``) and BEGIN
  IMMEDIATE for a write; sqlite3 keeps each statement prepared in its statement cache.
- PostgreSQL: psycopg 3, statements prepared on the server on their first use
  (``prepare=True``), a transaction per request.

For the public program (a read) it looks up a stored document by id, the same bytes the forum
answers, and a revalidation reads only the document's tag and answers 304. Whatever the forum
spends beyond this is the cost of its own code. Serve it with
``gunicorn "bench.reference:create_app()"``; the database comes from ``REFERENCE_DATABASE_URL``.
The tables are created with SQLAlchemy (``init_db``): setting up is not measured.
"""

from __future__ import annotations

import os
import sqlite3
import zlib
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Flask, Response, jsonify, request
from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
)

from forum.db import QueuedWriterConnection

# Rows the lookup picks from (the event, or the badge being scanned).
ITEMS = 1000

metadata = MetaData()
item = Table(
    "ref_item", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
)
entry = Table(
    "ref_entry", metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", ForeignKey("ref_item.id"), nullable=False),
    # The request's unique value (registration email, scan nonce): a unique index to maintain,
    # like the forum's.
    Column("key", String(254), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
# A published read-only answer (the program): its bytes and its tag, looked up by id.
document = Table(
    "ref_document", metadata,
    Column("id", Integer, primary_key=True),
    Column("etag", String(80), nullable=False),
    Column("body", LargeBinary, nullable=False),
)
PROGRAM_DOCUMENT = 1
CACHE_CONTROL = "public, max-age=60"


def init_db(url: str) -> None:
    """Create the three tables and the rows the lookups find."""
    engine = create_engine(url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(item), [{"id": i, "name": f"item {i}"} for i in range(1, ITEMS + 1)])
    engine.dispose()


def store_document(url: str, body: bytes, etag: str) -> None:
    """Keep the answer that the program route serves (``etag`` with its quotes)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(document.delete())
        conn.execute(insert(document).values(id=PROGRAM_DOCUMENT, etag=etag, body=body))
    engine.dispose()


class Duplicate(Exception):
    """The request's unique key is already stored."""


class _SQLite:
    LOOKUP = "SELECT id, name FROM ref_item WHERE id = ?"
    INSERT = "INSERT INTO ref_entry (item_id, key, created_at) VALUES (?, ?, ?)"
    TAG = "SELECT etag FROM ref_document WHERE id = ?"
    DOCUMENT = "SELECT etag, body FROM ref_document WHERE id = ?"

    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(path, factory=QueuedWriterConnection, isolation_level=None,
                                    check_same_thread=False, cached_statements=32)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                       "busy_timeout=30000", "mmap_size=268435456"):
            self.conn.execute(f"PRAGMA {pragma}")

    def lookup_and_insert(self, item_id: int, key: str) -> tuple[int, str]:
        conn = self.conn
        conn.enter_write_queue()
        conn.execute("BEGIN IMMEDIATE")
        try:
            found = conn.execute(self.LOOKUP, (item_id,)).fetchone()
            new_id = conn.execute(self.INSERT, (found[0], key, datetime.now(UTC).isoformat())
                                  ).lastrowid
        except sqlite3.IntegrityError:
            conn.rollback()
            raise Duplicate from None
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
        return new_id, found[1]

    def document(self, asked: str | None) -> tuple[str, bytes | None]:
        # Autocommit reads: each statement is its own read transaction, as in the forum's
        # deferred BEGIN for a GET.
        if asked is not None:
            (tag,) = self.conn.execute(self.TAG, (PROGRAM_DOCUMENT,)).fetchone()
            if tag == asked:
                return tag, None
        tag, body = self.conn.execute(self.DOCUMENT, (PROGRAM_DOCUMENT,)).fetchone()
        return tag, body


class _Postgres:
    LOOKUP = "SELECT id, name FROM ref_item WHERE id = %s"
    INSERT = "INSERT INTO ref_entry (item_id, key, created_at) VALUES (%s, %s, %s) RETURNING id"
    TAG = "SELECT etag FROM ref_document WHERE id = %s"
    DOCUMENT = "SELECT etag, body FROM ref_document WHERE id = %s"

    def __init__(self, url: str) -> None:
        import psycopg

        self.errors = psycopg.errors
        self.conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))

    def lookup_and_insert(self, item_id: int, key: str) -> tuple[int, str]:
        conn = self.conn
        try:
            with conn.transaction():
                found = conn.execute(self.LOOKUP, (item_id,), prepare=True).fetchone()
                (new_id,) = conn.execute(self.INSERT, (found[0], key, datetime.now(UTC)),
                                         prepare=True).fetchone()
        except self.errors.UniqueViolation:
            raise Duplicate from None
        return new_id, found[1]

    def document(self, asked: str | None) -> tuple[str, bytes | None]:
        with self.conn.transaction():
            if asked is not None:
                (tag,) = self.conn.execute(self.TAG, (PROGRAM_DOCUMENT,), prepare=True
                                           ).fetchone()
                if tag == asked:
                    return tag, None
            tag, body = self.conn.execute(self.DOCUMENT, (PROGRAM_DOCUMENT,), prepare=True
                                          ).fetchone()
        return tag, bytes(body)


def _connect(url: str) -> _SQLite | _Postgres:
    if url.startswith("sqlite"):
        return _SQLite(urlsplit(url).path.removeprefix("/"))
    return _Postgres(url)


def create_app(url: str | None = None) -> Flask:
    app = Flask(__name__)
    url = url or os.environ["REFERENCE_DATABASE_URL"]
    opened: dict[int, _SQLite | _Postgres] = {}

    def database() -> _SQLite | _Postgres:
        # One connection per worker, opened after gunicorn forked it.
        pid = os.getpid()
        if pid not in opened:
            opened[pid] = _connect(url)
        return opened[pid]

    def work(key: str):
        item_id = zlib.crc32(key.encode()) % ITEMS + 1
        try:
            new_id, name = database().lookup_and_insert(item_id, key)
        except Duplicate:
            return jsonify(error="duplicate"), 409
        return jsonify(id=new_id, item=name), 201

    @app.post("/api/v1/events/<slug>/registrations")
    def register(slug: str):
        body = request.get_json()
        return work(str(body["email"]).lower())

    @app.post("/api/v1/checkins")
    def checkin():
        body = request.get_json()
        return work(str(body["nonce"]))

    @app.get("/api/v1/events/<slug>/program")
    def program(slug: str):
        headers = {"Cache-Control": CACHE_CONTROL, "Vary": "Accept-Language"}
        tag, body = database().document(request.headers.get("If-None-Match"))
        if body is None:
            return Response(status=304, headers={**headers, "ETag": tag})
        return Response(body, mimetype="application/json", headers={**headers, "ETag": tag})

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
