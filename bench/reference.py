"""The yardstick: a bare Flask app doing one primary-key lookup and one insert per request.

For the public program (a read) it does one primary-key lookup of a stored document, the same
bytes the forum answers, and a revalidation reads only the document's tag and answers 304.
It answers the same URLs as the forum's hot endpoints, so one wrk script drives both, and runs
on the same kind of database with the same connection settings, taken from ``forum.db``
(SQLite: WAL, synchronous=NORMAL, writers queue for the lock and begin IMMEDIATE).
Whatever the forum spends beyond this is the cost of its own code. Serve it with
``gunicorn "bench.reference:create_app()"``; the database comes from ``REFERENCE_DATABASE_URL``.
"""

from __future__ import annotations

import os
import zlib
from datetime import UTC, datetime

from flask import Flask, Response, jsonify, request
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from forum.db import configure_engine, engine_options

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


def make_engine(url: str) -> Engine:
    """An engine with exactly the connection settings the forum uses on the same backend."""
    engine = create_engine(url, **engine_options(url))
    configure_engine(engine)  # SQLite: WAL, busy timeout, writers queue, BEGIN IMMEDIATE
    return engine


def init_db(url: str) -> None:
    """Create the two tables and the rows the lookups find."""
    engine = make_engine(url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(item), [{"id": i, "name": f"item {i}"} for i in range(1, ITEMS + 1)])
    engine.dispose()


def store_document(url: str, body: bytes, etag: str) -> None:
    """Keep the answer that the program route serves (``etag`` with its quotes)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(document.delete())
        conn.execute(insert(document).values(id=PROGRAM_DOCUMENT, etag=etag, body=body))
    engine.dispose()


def create_app(url: str | None = None) -> Flask:
    app = Flask(__name__)
    engine = make_engine(url or os.environ["REFERENCE_DATABASE_URL"])

    def work(key: str):
        item_id = zlib.crc32(key.encode()) % ITEMS + 1
        try:
            with engine.begin() as conn:
                found = conn.execute(
                    select(item.c.id, item.c.name).where(item.c.id == item_id)).one()
                new_id = conn.execute(insert(entry).values(
                    item_id=found.id, key=key, created_at=datetime.now(UTC))
                ).inserted_primary_key[0]
        except IntegrityError:
            return jsonify(error="duplicate"), 409
        return jsonify(id=new_id, item=found.name), 201

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
        asked = request.headers.get("If-None-Match")
        with engine.connect() as conn:
            if asked is not None:
                tag = conn.execute(select(document.c.etag)
                                   .where(document.c.id == PROGRAM_DOCUMENT)).scalar_one()
                if asked == tag:
                    return Response(status=304, headers={**headers, "ETag": tag})
            tag, body = conn.execute(select(document.c.etag, document.c.body)
                                     .where(document.c.id == PROGRAM_DOCUMENT)).one()
        return Response(body, mimetype="application/json", headers={**headers, "ETag": tag})

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app

