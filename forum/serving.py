"""What gunicorn.conf.py applies to every request: a request body must arrive in time.

gunicorn's gthread worker hands a connection to a thread once its first bytes arrive; from
then on the thread reads the body with blocking reads and no time limit, so a client that
trickles a body holds the thread for as long as it likes. ``bound_body`` gives the reads a
deadline: past it, the read raises 408 (answered as problem+json by forum.errors) and the
connection is closed, freeing the thread.
"""

from __future__ import annotations

import time
from typing import Any

from werkzeug.exceptions import RequestTimeout


class _DeadlineSocket:
    """The connection's socket as the body reader sees it: each recv waits at most the time
    left before the deadline (a byte every second would otherwise renew a plain timeout)."""

    def __init__(self, sock: Any, deadline: float) -> None:
        self.sock, self.deadline = sock, deadline

    def recv(self, size: int) -> bytes:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        self.sock.settimeout(left)
        return self.sock.recv(size)


class _DeadlineReader:
    """Wraps gunicorn's body reader (length, chunked or to-EOF). The connection's unreader
    reads through a ``_DeadlineSocket`` only while the body is read: the next request on a
    kept-alive connection gets the plain socket back."""

    def __init__(self, reader: Any, unreader: Any, deadline: float) -> None:
        self.reader, self.unreader, self.deadline = reader, unreader, deadline

    def read(self, size: int) -> bytes:
        sock = self.unreader.sock
        self.unreader.sock = _DeadlineSocket(sock, self.deadline)
        try:
            return self.reader.read(size)
        except TimeoutError as exc:
            raise RequestTimeout("The request body took too long to arrive.") from exc
        finally:
            self.unreader.sock = sock
            sock.settimeout(None)  # gunicorn's threads expect a blocking socket


def bound_body(req: Any, seconds: float) -> None:
    """From gunicorn's ``pre_request`` hook: the body of ``req`` must arrive within
    ``seconds`` (gunicorn closes a connection whose body read failed, after the 408)."""
    unreader = getattr(req, "unreader", None)
    body = getattr(req, "body", None)
    if getattr(unreader, "sock", None) is not None and hasattr(body, "reader"):
        body.reader = _DeadlineReader(body.reader, unreader, time.monotonic() + seconds)
