"""Fixtures: an app per test on a fresh SQLite file, its client, and a database session."""

from __future__ import annotations

import pytest

from forum import create_app
from forum.extensions import db as _db

from . import factories


def make_app(database_url: str, **overrides):
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "RATELIMIT_ENABLED": False,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'test.db'}")
    with app.app_context():
        _db.create_all()
        yield app
        _db.session.remove()
        _db.engine.dispose()


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
