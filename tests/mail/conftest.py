"""A real SMTP server on 127.0.0.1 (aiosmtpd) and the worker pointed at it."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from forum.extensions import db
from forum.mail import worker

LINK = re.compile(r"(https?://\S+/manage)#token=([^&\s]+)&proof=([0-9a-f]+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Sink:
    """What the SMTP server received, and how it answers DATA (``reply``)."""

    received: list = field(default_factory=list)
    reply: str = "250 Message accepted"
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if not self.reply.startswith("250"):
            return self.reply
        with self.lock:
            self.received.append(email.message_from_bytes(envelope.content,
                                                           policy=email.policy.default))
        return self.reply

    def texts(self) -> list[str]:
        return [m.get_body(("plain",)).get_content() for m in self.received]


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.sink = Sink()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp_server(smtp_port):
    server = SmtpServer(smtp_port)
    server.start()
    yield server
    server.stop()


def point_at(app, port: int, **config) -> None:
    app.config.update(FORUM_SMTP_HOST="127.0.0.1", FORUM_SMTP_PORT=port,
                      FORUM_SMTP_SECURITY="none", FORUM_MAIL_RATE=0,
                      FORUM_SMTP_TIMEOUT=5, **config)


def deliver(clock) -> worker.Outcome:
    """One ``--once`` pass of the worker in the current app, on the test's clock."""
    return worker.run(db.session, now=clock, once=True)


def manage_link(text: str) -> tuple[str, str]:
    """(token, proof) of the manage link in a message's text."""
    found = LINK.search(text)
    assert found, text
    return found.group(2), found.group(3)
