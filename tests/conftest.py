"""Fixtures: an app per test on a fresh database (SQLite file, or PostgreSQL), its client,
and a database session.

PostgreSQL tests run on a server started once per session (tests/pg.py) with a fresh
database per test (pytest-postgresql's DatabaseJanitor). Without pg_ctl they are skipped,
unless FORUM_REQUIRE_POSTGRES=1 (set by ``make test``) turns that into a failure.
"""

from __future__ import annotations

import os
import sys
import uuid

import pytest
from pytest_postgresql.janitor import DatabaseJanitor

from forum import create_app
from forum.extensions import db as _db

from . import factories, pg
from .clock import PinnedClock


def make_app(database_url: str, **overrides):
    """The app on a database; its clock stands at factories.NOW unless FORUM_CLOCK is given."""
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "RATELIMIT_ENABLED": False,
        # Each test app counts apart (the default file in instance/ is shared by all runs).
        "RATELIMIT_STORAGE_URI": "memory://",
        "FORUM_CLOCK": PinnedClock(factories.NOW),
        # Cheap argon2 parameters: the suite signs in hundreds of times.
        "FORUM_PASSWORD_HASH_MEMORY_KIB": 1024,
        "FORUM_PASSWORD_HASH_TIME_COST": 1,
    }
    config.update(overrides)
    app = create_app(config)
    _made_apps.append(app)
    return app


_made_apps: list = []


@pytest.fixture(autouse=True)
def _close_made_apps():
    """Each app a test made closes its pooled connections when the test ends: left to the
    garbage collector, a PostgreSQL connection warns in some later test."""
    yield
    while _made_apps:
        with _made_apps.pop().app_context():
            _db.session.remove()
            for engine in _db.engines.values():
                engine.dispose()


@pytest.fixture(scope="session")
def pg_server():
    try:
        server = pg.start()
    except (FileNotFoundError, OSError) as exc:
        if os.environ.get("FORUM_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but could not start: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server):
    """A URL of a fresh, empty PostgreSQL database, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with DatabaseJanitor(user=pg_server.user, host=pg_server.host, port=pg_server.port,
                         dbname=name):
        yield pg_server.url(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The URL of a fresh database of each kind: the test runs once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def clock() -> PinnedClock:
    """The clock of the test's app: it stands at factories.NOW until the test moves it."""
    return PinnedClock(factories.NOW)


def _app_on(url: str, clock: PinnedClock):
    app = make_app(url, FORUM_CLOCK=clock)
    with app.app_context():
        _db.create_all()
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def app(tmp_path, clock):
    yield from _app_on(f"sqlite:///{tmp_path / 'test.db'}", clock)


@pytest.fixture
def any_app(db_url, clock):
    """Like ``app``, once on SQLite and once on PostgreSQL."""
    yield from _app_on(db_url, clock)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    return _db.session


@pytest.fixture
def event(session):
    event = factories.make_event(session, slug="digital-bridge")
    session.commit()
    return event


_exit_status = 0


def pytest_sessionfinish(session, exitstatus):
    global _exit_status
    _exit_status = int(exitstatus)


def pytest_unconfigure(config):
    # Under libfaketime (make test-dates) the faked monotonic clock keeps Python's timed
    # thread waits from ending, so Flask-Limiter's expiry timer would hold the process open
    # forever after the run. The results are written by now: leave with their status.
    if "FAKETIME" in os.environ:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status)
