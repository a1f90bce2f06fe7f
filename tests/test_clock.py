"""The app's one clock: every view reads it, tests pin it, and nothing else reads the wall."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from forum import ROOT, clock
from forum.events.models import Event
from forum.extensions import db

from . import factories
from .clock import PinnedClock
from .conftest import make_app

WALL_CLOCK = re.compile(r"datetime\.now\(|datetime\.utcnow\(|date\.today\(|time\.time\(")


def test_views_answer_by_the_apps_clock(client, clock, event):
    url = f"/api/v1/events/{event.slug}/registrations"
    clock.set(event.registration_closes_at + timedelta(seconds=1))
    assert client.get(f"/api/v1/events/{event.slug}").json["registration_open"] is False
    closed = client.post(url, json=factories.payload())
    assert closed.status_code == 409 and closed.json["code"] == "registration_closed"

    clock.set(event.registration_closes_at - timedelta(seconds=1))
    assert client.post(url, json=factories.payload()).status_code == 201


def test_cli_commands_use_the_apps_clock(tmp_path):
    at = datetime(2031, 3, 4, 5, 0, tzinfo=UTC)
    app = make_app(f"sqlite:///{tmp_path / 'cli.db'}", FORUM_CLOCK=PinnedClock(at))
    with app.app_context():
        db.create_all()
        result = app.test_cli_runner().invoke(args=["forum", "demo", "--participants", "3"])
        assert result.exit_code == 0, result.output
        event = db.session.scalars(db.select(Event)).one()
        assert event.starts_on == at.date()  # the demo runs on the day it is built
        db.session.remove()
        db.engine.dispose()


def test_the_default_clock_is_the_wall_clock(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'w.db'}", FORUM_CLOCK=None)
    with app.app_context():
        before = datetime.now(UTC)
        assert before <= clock.now() <= datetime.now(UTC) + timedelta(seconds=1)


def test_a_naive_clock_is_refused(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'n.db'}", FORUM_CLOCK=lambda: datetime(2030, 1, 1))
    with app.app_context(), pytest.raises(ValueError, match="naive"):
        clock.now()


@pytest.mark.parametrize("folder", ["forum", "bench"])
def test_only_forum_clock_reads_the_wall_clock(folder):
    # The bare reference app and the harness's own timestamps are not the forum's time; the
    # rate-limit storage counts real seconds, as Flask-Limiter's own storages do.
    allowed = {ROOT / "forum" / "clock.py", ROOT / "forum" / "limits.py",
               *(ROOT / "bench" / f"{name}.py" for name in (
                   "reference", "run", "badges_pdf", "search", "report", "bundle"))}
    readers = [str(path.relative_to(ROOT)) for path in (ROOT / folder).rglob("*.py")
               if path not in allowed and WALL_CLOCK.search(path.read_text())]
    assert readers == []
