"""A real HTTP receiver on 127.0.0.1 (http.server in a thread) and webhook helpers."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from forum.extensions import db
from forum.mail import worker

from .. import factories
from ..auth import staff_headers


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Records every POST; answers with the next status of ``replies`` (then 200)."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    replies: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def verifies(self, item: Received, secret: str, *, now: float, tolerance: int = 300) -> bool:
        """What a partner does: recompute the signature and check the timestamp is fresh."""
        timestamp = item.headers["Forum-Timestamp"]
        expected = hmac.new(secret.encode(), timestamp.encode() + b"." + item.body,
                            hashlib.sha256).hexdigest()
        return (hmac.compare_digest(item.headers["Forum-Signature"], "sha256=" + expected)
                and abs(now - int(timestamp)) <= tolerance)


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with state.lock:
                state.received.append(Received(dict(self.headers.items()), body))
                status = state.replies.pop(0) if state.replies else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def hooks_app(any_app):
    """The worker with no SMTP server (webhooks only) and 127.0.0.1 allowed as a receiver."""
    any_app.config.update(FORUM_SMTP_HOST="", FORUM_WEBHOOK_ALLOW_PRIVATE=True,
                          FORUM_WEBHOOK_TIMEOUT=5, FORUM_MAIL_RATE=0)
    return any_app


@pytest.fixture
def hook_event(hooks_app):
    event = factories.make_event(db.session, slug="digital-bridge")
    db.session.commit()
    return event


@pytest.fixture
def organizer_of(hooks_app):
    def headers(event):
        return staff_headers(db.session, event=event)
    return headers


def register_webhook(app, headers, event, url: str, events: list[str]) -> dict:
    answer = app.test_client().post(f"/api/v1/events/{event.slug}/webhooks", headers=headers,
                                    json={"url": url, "events": events})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return answer.get_json()


def deliver(clock) -> worker.Outcome:
    """One ``--once`` pass of the worker, on the test's clock."""
    return worker.run(db.session, now=clock, once=True)
