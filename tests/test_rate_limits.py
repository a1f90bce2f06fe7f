"""Rate limits count once for all the workers of a machine (forum.limits.SQLiteStorage), and
production refuses the per-process memory:// storage."""

from __future__ import annotations

import multiprocessing
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from forum import config
from forum.extensions import db
from forum.limits import SQLiteStorage

from .conftest import make_app
from .test_slow_clients import _free_port

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def test_production_refuses_memory_storage(tmp_path):
    import secrets

    env = {"FORUM_ENV": "production", "FORUM_DATABASE_URL": "postgresql+psycopg://x@h/db",
           "FORUM_SECRET_KEY": secrets.token_urlsafe(32),
           "FORUM_KEY_ENCRYPTION_KEY": secrets.token_urlsafe(32)}
    with pytest.raises(config.ConfigError, match="memory://"):
        config.load(tmp_path, {**env, "FORUM_RATELIMIT_STORAGE_URI": "memory://"})
    assert config.load(tmp_path, {**env, "FORUM_RATELIMIT_STORAGE_URI": "redis://h:6379"})
    default = config.load(tmp_path, env)["RATELIMIT_STORAGE_URI"]
    assert default == f"forum-sqlite:///{tmp_path / 'rate_limits.db'}"


def test_a_window_counts_hits_and_starts_again_when_it_ends(tmp_path):
    storage = storage_from_string(f"forum-sqlite:///{tmp_path / 'rl.db'}")
    assert isinstance(storage, SQLiteStorage) and storage.check()
    assert [storage.incr("k", 1) for _ in range(3)] == [1, 2, 3]
    assert storage.get("k") == 3 and storage.get("other") == 0
    assert time.time() < storage.get_expiry("k") <= time.time() + 1
    time.sleep(1.1)
    assert storage.get("k") == 0
    assert storage.incr("k", 60) == 1  # a new window
    storage.clear("k")
    assert storage.get("k") == 0


def _hammer(path: str, hits: int, start, results) -> None:
    limiter = FixedWindowRateLimiter(storage_from_string(f"forum-sqlite:///{path}"))
    limit = parse("50 per minute")
    start.wait()
    results.put(sum(limiter.hit(limit, "sign-in", "10.0.0.7") for _ in range(hits)))


def test_two_processes_share_one_count(tmp_path):
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    procs = [context.Process(target=_hammer, args=(str(tmp_path / "rl.db"), 40, start, results))
             for _ in range(2)]
    for p in procs:
        p.start()
    time.sleep(1.0)  # both imported and waiting
    start.set()
    allowed = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    # 80 hits against 50 per minute: exactly 50 pass, whichever process made them.
    assert sum(allowed) == 50, allowed


@pytest.mark.slow
def test_two_gunicorn_processes_let_exactly_the_limit_through(tmp_path):
    """Two gunicorn masters (one worker each, on two ports) share one storage file, as the
    workers of one machine do; sign-ins alternate between them, so each must see the other's
    count (one worker taking every connection of a shared socket proves nothing)."""
    limit, tries = 5, 16
    url = f"sqlite:///{tmp_path / 'forum.db'}"
    app = make_app(url)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    ports = [_free_port(), _free_port()]
    processes = []
    try:
        for port in ports:
            env = {**os.environ, "FORUM_BIND": f"127.0.0.1:{port}", "FORUM_WORKERS": "1",
                   "FORUM_DATABASE_URL": url, "FORUM_LOGIN_RATE_LIMIT": f"{limit} per minute",
                   "FORUM_RATELIMIT_STORAGE_URI": f"forum-sqlite:///{tmp_path / 'rl.db'}",
                   "FORUM_ACCESS_LOG": "", "FORUM_PASSWORD_HASH_MEMORY_KIB": "1024",
                   "FORUM_PASSWORD_HASH_TIME_COST": "1"}
            log = tmp_path / f"gunicorn-{port}.log"
            with log.open("wb") as out:
                processes.append(subprocess.Popen([str(GUNICORN), "wsgi:app"], cwd=ROOT,
                                                  env=env, stdout=out, stderr=subprocess.STDOUT))
            _wait_until_up(port, processes[-1], log)
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda i: _sign_in(ports[i % 2]), range(tries)))
        assert statuses.count(429) == tries - limit, statuses
        assert statuses.count(401) == limit, statuses  # unknown account, not rate limited
        # Each process refused some: at most five passed of the eight each was sent.
        assert 429 in statuses[0::2] and 429 in statuses[1::2], statuses
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def _sign_in(port: int) -> int:
    body = b'{"email": "nobody@example.kz", "password": "not a password"}'
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(b"POST /api/v1/auth/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Content-Type: application/json\r\nConnection: close\r\n"
                  b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def _wait_until_up(port: int, process, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
                if s.recv(100).startswith(b"HTTP/1.0 200"):
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"gunicorn did not start: {log.read_text()[-2000:]}")
        time.sleep(0.2)
