"""Browser fixtures: the real app on a live server, and one headless Chromium per module."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from forum.extensions import db
from tests import factories
from tests.clock import RunningClock
from tests.conftest import make_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}

# Real category names, so the pages show something a person would read.
def live_clock() -> RunningClock:
    """The live server's clock: from factories.NOW on, at the wall clock's pace. Browser
    contexts run theirs from the same moment (``new_page``), so page and server agree."""
    return RunningClock(factories.NOW)


CATEGORY_NAMES = {
    "attendee": {"en": "Attendee", "ru": "Участник", "kk": "Қатысушы"},
    "press": {"en": "Press", "ru": "Пресса", "kk": "Баспасөз"},
}


@pytest.fixture(scope="module")
def live_app(tmp_path_factory) -> Iterator[Flask]:
    path = tmp_path_factory.mktemp("browser") / "browser.db"
    app = make_app(f"sqlite:///{path}", FORUM_CLOCK=live_clock())
    with app.app_context():
        db.create_all()
        now = factories.NOW
        # Stated dates: the pages' date formatting is checked against them.
        event = factories.make_event(db.session, slug="digital-bridge", name="Digital Bridge 2026",
                                     starts_on=date(2026, 11, 26), ends_on=date(2026, 11, 27),
                                     venue_names={"kk": "EXPO конгресс-орталығы",
                                                  "ru": "Конгресс-центр EXPO"},
                                     city_names={"kk": "Астана", "ru": "Астана"},
                                     registration_opens_at=now - timedelta(days=1),
                                     registration_closes_at=now + timedelta(days=30))
        for category in event.categories:
            category.names = CATEGORY_NAMES.get(category.slug, category.names)
        factories.make_event(db.session, slug="closed-edition", name="Digital Bridge 2025",
                             registration_opens_at=now - timedelta(days=60),
                             registration_closes_at=now - timedelta(days=1))
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(live_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server: str):
    """Open pages in fresh browser contexts (own storage); fails on script errors."""
    contexts = []
    problems: list[str] = []

    def open_page(locale: str = "en-US"):
        context = browser.new_context(viewport=PHONE, locale=locale, base_url=live_server)
        context.clock.install(time=factories.NOW)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(5000)
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        page.on("console", lambda msg: problems.append(f"console: {msg.text}")
                if "Content Security Policy" in msg.text else None)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, problems


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def query(live_app: Flask) -> Callable[[Callable[[Any], Any]], Any]:
    """Run ``fn(session)`` against the live server's database in a fresh session."""

    def run(fn):
        with live_app.app_context():
            try:
                return fn(db.session)
            finally:
                db.session.remove()

    return run
