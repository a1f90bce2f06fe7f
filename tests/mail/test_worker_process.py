"""The mail worker as deployed: ``flask --app app forum mail-worker`` in its own process,
delivering to a real SMTP server until SIGTERM ends it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from forum.extensions import db
from forum.registration import service as registration

from .. import factories
from .conftest import SmtpServer, free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def test_the_worker_runs_until_sigterm_and_exits_cleanly(tmp_path):
    from tests.conftest import make_app

    url = f"sqlite:///{tmp_path / 'worker.db'}"
    app = make_app(url)
    with app.app_context():
        db.create_all()
        event = factories.make_event(db.session, slug="digital-bridge")
        # The process runs on the wall clock: the message is due by that clock.
        registration.register(db.session, event=event, data=factories.registration_data(),
                              now=datetime.now(UTC), by_organizer=True)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    server = SmtpServer(free_port())
    server.start()
    env = {**os.environ, "FORUM_DATABASE_URL": url, "FORUM_SECRET_KEY": "test-secret",
           "FORUM_SMTP_HOST": "127.0.0.1", "FORUM_SMTP_PORT": str(server.port),
           "FORUM_SMTP_SECURITY": "none"}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "forum",
                               "mail-worker"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not server.sink.received and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(server.sink.received) == 1
        assert worker.poll() is None  # still running, waiting for more
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=15)
    finally:
        if worker.poll() is None:
            worker.kill()
        server.stop()
    assert worker.returncode == 0, err
    assert "sent 1" in out
