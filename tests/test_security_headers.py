"""Headers every answer carries: no caching of personal data, no type sniffing, HSTS outside
development, a page CSP that pins base and form targets, and the camera for the scanner only."""

from __future__ import annotations

from forum.extensions import db

from . import factories
from .conftest import make_app


def test_personal_api_answers_are_not_stored(client, session, event):
    _person, token = factories.make_registrant(session, event)
    session.commit()
    r = client.get("/api/v1/registrations/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    # A refusal carries the same headers (it can name what was asked for).
    anonymous = client.get("/api/v1/registrations/me")
    assert anonymous.status_code == 401
    assert anonymous.headers["Cache-Control"] == "no-store"
    assert anonymous.headers["X-Content-Type-Options"] == "nosniff"


def test_a_view_that_means_to_be_cached_keeps_its_header(client, session, event):
    factories.make_session(session, event)
    factories.publish(session, event)
    session.commit()
    r = client.get(f"/api/v1/events/{event.slug}/program")
    assert r.status_code == 200
    assert "public" in r.headers["Cache-Control"]
    assert "no-store" not in r.headers["Cache-Control"]


def test_pages_pin_base_and_form_targets_and_only_the_scanner_films(client):
    for page in ("/register", "/manage", "/admin", "/program", "/scanner"):
        r = client.get(page)
        assert r.status_code == 200, page
        csp = r.headers["Content-Security-Policy"]
        assert "base-uri 'none'" in csp and "form-action 'self'" in csp, page
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        camera = "camera=(self)" if page == "/scanner" else "camera=()"
        assert camera in r.headers["Permissions-Policy"], page
    assert "camera=()" in client.get("/healthz").headers["Permissions-Policy"]
    assert client.get("/healthz").headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_outside_development_only(tmp_path, client):
    assert "Strict-Transport-Security" not in client.get("/register").headers
    app = make_app(f"sqlite:///{tmp_path / 'prod.db'}", ENV_NAME="production")
    with app.app_context():
        db.create_all()
        for path in ("/register", "/healthz", "/api/v1/registrations/me"):
            r = app.test_client().get(path)
            assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000"), path
        db.session.remove()
        db.engine.dispose()
