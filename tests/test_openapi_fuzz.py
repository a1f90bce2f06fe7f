"""The OpenAPI document against the server: schemathesis, every check, on a running gunicorn.

Each run is bounded (examples per operation and seconds) and seeded, so a failure reproduces
with the seed it prints. What the server answers must be what the document says: statuses,
``application/problem+json`` error bodies of the Problem schema, the ``Allow`` header, bodies
the document calls invalid refused and valid ones accepted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from forum.checkin import devices
from forum.demo import build_demo
from forum.events import service as events
from forum.extensions import db

from . import factories
from .conftest import make_app
from .test_rate_limits import _wait_until_up
from .test_slow_clients import _free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET = "openapi-fuzz-secret-" + "x" * 24


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A demo event on SQLite behind gunicorn (two workers, the wall clock), with a scanner
    device at the main entrance."""
    tmp = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{tmp / 'forum.db'}"
    app = make_app(url, SECRET_KEY=SECRET)
    with app.app_context():
        db.create_all()
        build_demo(db.session, slug="digital-bridge", participants=40, seed=7,
                   now=factories.NOW)
        gate = devices.get_gate(db.session, events.get_event(db.session, "digital-bridge"),
                                "main-entrance")
        _device, scanner = devices.issue(db.session, gate=gate, name="fuzz", now=factories.NOW,
                                         actor="test")
        db.session.commit()
        db.engine.dispose()
    port = _free_port()
    env = {**os.environ, "FORUM_BIND": f"127.0.0.1:{port}", "FORUM_WORKERS": "2",
           "FORUM_DATABASE_URL": url, "FORUM_SECRET_KEY": SECRET,
           "FORUM_RATELIMIT_ENABLED": "0", "FORUM_ACCESS_LOG": "",
           "FORUM_RATELIMIT_STORAGE_URI": f"forum-sqlite:///{tmp / 'rl.db'}"}
    log = tmp / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(BIN / "gunicorn"), "wsgi:app"], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(port, process, log)
        yield {"base": f"http://127.0.0.1:{port}", "scanner": scanner, "tmp": tmp}
    finally:
        process.terminate()
        process.wait(timeout=30)


def _fuzz(server, name: str, *options: str, seconds: int = 60) -> None:
    command = [str(BIN / "schemathesis"), "run", f"{server['base']}/api/v1/openapi.json",
               "--checks", "all", "--max-examples", "12", "--max-time", str(seconds),
               # One worker: threads of the fuzzer parsing source at once can trip CPython
               # 3.11's "AST constructor recursion depth mismatch" (fixed in 3.11.8).
               "--seed", "20261202", "--workers", "1", "--request-timeout", "10",
               "--output-truncate", "false", *options]
    # The fuzzer runs on the real clock: under libfaketime (make test-dates) its threads'
    # timed waits would never end. The server keeps the faked one, which is what is tested.
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "FAKETIME")}
    done = subprocess.run(command, cwd=server["tmp"], env=env, capture_output=True, text=True,
                          timeout=seconds + 240)
    report = done.stdout[-12000:]
    assert done.returncode == 0, f"schemathesis ({name}) found failures:\n{report}"


def test_anonymous_callers_get_what_the_document_says(server):
    _fuzz(server, "anonymous")


def test_a_scanner_device_gets_what_the_document_says(server):
    _fuzz(server, "scanner device", "--header", f"Authorization: Bearer {server['scanner']}",
          "--include-path-regex", "^/api/v1/(scanner|checkins)")
