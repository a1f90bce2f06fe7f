"""Server database connections without a pre-ping: an idle connection is pinged before use, a
busy one is trusted, and one that dies under a request answers 503 and is replaced."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import func, select

from forum import db as dbmod
from forum.extensions import db
from forum.registration.models import Participant
from tests import factories

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(pg_url, clock):
    from tests.conftest import _app_on

    yield from _app_on(pg_url, clock)


def _drop_the_apps_connections(url: str) -> int:
    """What a database restart does to the pool: every other backend of the database ends."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                         autocommit=True) as admin:
        return len(admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchall())


def _register(client, n: int):
    return client.post("/api/v1/events/digital-bridge/registrations",
                       json=factories.payload(email=f"conn{n}@example.kz"))


def _stored() -> int:
    count = db.session.scalar(select(func.count()).select_from(Participant))
    db.session.remove()
    return count


def test_no_pre_ping_on_server_databases():
    assert dbmod.engine_options("postgresql+psycopg://u@h/d")["pool_pre_ping"] is False


def test_a_connection_idle_past_the_limit_is_pinged_and_replaced(pg_app, pg_url, monkeypatch):
    client = pg_app.test_client()
    factories.make_event(db.session, slug="digital-bridge")
    db.session.commit()
    db.session.remove()
    assert _register(client, 1).status_code == 201
    assert _drop_the_apps_connections(pg_url) >= 1
    monkeypatch.setattr(dbmod, "IDLE_PING_SECONDS", 0.0)
    answer = _register(client, 2)
    assert answer.status_code == 201, answer.get_json()
    assert _stored() == 2


def test_a_connection_lost_while_busy_answers_503_and_the_next_request_works(pg_app, pg_url,
                                                                              monkeypatch):
    client = pg_app.test_client()
    factories.make_event(db.session, slug="digital-bridge")
    db.session.commit()
    db.session.remove()
    monkeypatch.setattr(dbmod, "IDLE_PING_SECONDS", 3600.0)  # every checkout counts as busy
    assert _register(client, 1).status_code == 201
    assert _drop_the_apps_connections(pg_url) >= 1
    lost = _register(client, 2)
    assert lost.status_code == 503
    assert lost.mimetype == "application/problem+json"
    assert lost.get_json()["code"] == "database_unavailable"
    assert lost.headers["Retry-After"] == "1"
    again = _register(client, 2)
    assert again.status_code == 201, again.get_json()
    assert _stored() == 2  # the lost attempt left nothing behind
