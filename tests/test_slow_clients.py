"""Slow clients cannot starve the service: gunicorn started with the top-level
gunicorn.conf.py, on 127.0.0.1, keeps answering /healthz within a second while several
sockets send their headers and then trickle a body; at FORUM_BODY_TIMEOUT they get 408.

Without the conf's body deadline a trickling body holds its thread for as long as the
client likes (no 408 ever comes); issue 10 measured /healthz stalled 31.8 s behind two
such sockets with the former two sync workers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
SLOW_CLIENTS = 6  # three times as many as stalled the former two sync workers
BODY_TIMEOUT = 4

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    env = {**os.environ, "FORUM_BIND": f"127.0.0.1:{port}", "FORUM_WORKERS": "2",
           "FORUM_BODY_TIMEOUT": str(BODY_TIMEOUT), "FORUM_ACCESS_LOG": "",
           "FORUM_DATABASE_URL": f"sqlite:///{tmp_path / 'slow.db'}",
           "FORUM_RATELIMIT_ENABLED": "0"}
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        # No -c: gunicorn finds gunicorn.conf.py in its working directory by itself.
        process = subprocess.Popen([str(GUNICORN), "wsgi:app"], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(port, "/healthz", timeout=1)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start: {log.read_text()[-2000:]}")
                time.sleep(0.2)
        assert "gthread" in log.read_text()
        yield port, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def _get(port: int, path: str, *, timeout: float) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                  .encode())
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
        return answer


def _slow_client(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(b"POST /api/v1/auth/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
    return s


def test_healthz_answers_within_a_second_while_slow_clients_trickle(server):
    port, log = server
    clients = [_slow_client(port) for _ in range(SLOW_CLIENTS)]
    started = time.monotonic()
    timings = []
    try:
        while time.monotonic() - started < BODY_TIMEOUT - 1:
            for c in clients:
                c.sendall(b" ")  # one byte at a time, never the whole body
            t0 = time.monotonic()
            answer = _get(port, "/healthz", timeout=5)
            timings.append(time.monotonic() - t0)
            assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
            time.sleep(0.25)
        assert len(timings) >= 5 and max(timings) < 1.0, timings
        # The deadline frees every thread a trickling body held: each gets a 408 in time.
        for c in clients:
            c.settimeout(BODY_TIMEOUT + 5)
            answer = b""
            while not answer.endswith(b"}"):
                chunk = c.recv(65536)
                assert chunk, answer
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 408"), (answer[:300], log.read_text()[-3000:])
            assert b"application/problem+json" in answer
        assert time.monotonic() - started < BODY_TIMEOUT + 3
    finally:
        for c in clients:
            c.close()
