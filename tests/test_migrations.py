"""Alembic migrations are the only way the schema changes: upgrade from empty must equal the
models, on both backends, and downgrade must undo it."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from forum.extensions import db
from forum.registration.search_index import include_name
from tests.conftest import make_app


@pytest.mark.postgres
def test_upgrade_from_empty_matches_models(db_url):
    app = make_app(db_url)
    with app.app_context():
        try:
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={
                    "compare_type": True, "include_name": include_name})
                diff = compare_metadata(context, db.metadata)
            assert diff == []
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        finally:
            db.session.remove()
            db.engine.dispose()


def test_readyz_reports_schema_state(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'ready.db'}")
    client = app.test_client()
    with app.app_context():
        r = client.get("/readyz")
        assert r.status_code == 503 and r.get_json()["schema"] == "outdated"
        upgrade()
        r = client.get("/readyz")
        assert r.status_code == 200 and r.get_json()["status"] == "ok"
        db.engine.dispose()


def test_readyz_unreachable_database():
    app = make_app("postgresql+psycopg://nobody@127.0.0.1:1/none")
    r = app.test_client().get("/readyz")
    assert r.status_code == 503 and r.get_json()["database"] == "unreachable"


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
