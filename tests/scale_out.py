"""The pieces of tests/test_scale_out.py's deployment, each a real process on 127.0.0.1: a
Redis, gunicorn instances started with the top-level gunicorn.conf.py, and nginx in front.

Every process runs in its own session (process group), so stopping one ends its children
too, and each waits on a deadline, so nothing hangs the suite.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
# Errors after which a client sends the same request again (same key, same nonce).
RETRIABLE_STATUSES = frozenset({502, 503, 504})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing_binaries() -> list[str]:
    return [name for name in ("nginx", "redis-server") if not _binary(name)]


def _binary(name: str) -> str | None:
    return shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()), None)


@dataclass
class Answer:
    status: int
    body: dict
    headers: dict[str, str]


def request(port: int, method: str, path: str, body: dict | None = None, *,
            headers: dict[str, str] | None = None, timeout: float = 15) -> Answer:
    """One request on a new connection (so successive ones reach any worker)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = None if body is None else json.dumps(body).encode()
        sent = {"Connection": "close", **(headers or {})}
        if data is not None:
            sent["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        raw = response.read()
        try:
            parsed = json.loads(raw) if raw else {}
        except ValueError:  # nginx's own 502 page is HTML
            parsed = {"raw": raw[:200].decode(errors="replace")}
        return Answer(response.status, parsed, {k.lower(): v for k, v in response.getheaders()})
    finally:
        conn.close()


def with_retries(send, *, attempts: int = 40, pause: float = 0.1) -> tuple[Answer, int]:
    """``send()`` until it is answered with something else than a gateway error; also the
    number of attempts it took. A lost connection is retried like a 502."""
    for attempt in range(1, attempts + 1):
        try:
            answer = send()
        except (OSError, http.client.HTTPException):
            answer = None
        if answer is not None and answer.status not in RETRIABLE_STATUSES:
            return answer, attempt
        time.sleep(pause)
    raise AssertionError(f"no answer after {attempts} attempts (last: {answer})")


def wait_until(check, *, timeout: float, what: str, process: subprocess.Popen | None = None,
               log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except (OSError, http.client.HTTPException):
            pass
        if (process is not None and process.poll() is not None) or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise AssertionError(f"{what} did not come up:\n{tail}")
        time.sleep(0.1)


@dataclass
class Service:
    """A started process group and its log."""

    name: str
    process: subprocess.Popen
    log: Path
    port: int
    quit_signal: signal.Signals = signal.SIGTERM

    def kill_hard(self) -> list[int]:
        """SIGKILL the master and every worker at once; returns the pids killed."""
        try:
            tree = [self.process.pid, *(c.pid for c in psutil.Process(
                self.process.pid).children(recursive=True))]
        except psutil.NoSuchProcess:
            tree = [self.process.pid]
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        return tree

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, self.quit_signal)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def _spawn(name: str, cmd: list[str], log: Path, port: int, up, *, up_log: Path | None = None,
           timeout: float = 30, **kwargs) -> Service:
    """Start ``cmd`` and wait until ``up(port)``."""
    return wait_up(launch(name, cmd, log, port, **kwargs), up, up_log=up_log, timeout=timeout)


def launch(name: str, cmd: list[str], log: Path, port: int, **kwargs) -> Service:
    with log.open("ab") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True, **kwargs)
    return Service(name, process, log, port)


def wait_up(service: Service, up, *, up_log: Path | None = None,
            timeout: float = 30) -> Service:
    """Wait until ``up(port)``; a process that does not come up is ended."""
    try:
        wait_until(lambda: up(service.port), timeout=timeout, what=service.name,
                   process=service.process, log=up_log or service.log)
    except BaseException:
        service.stop()
        raise
    return service


def _healthy(port: int) -> bool:
    return request(port, "GET", "/healthz", timeout=2).status == 200


def _unfaked_env() -> dict[str, str]:
    """The environment without libfaketime (make test-dates): redis-server's allocator
    breaks under it, and neither Redis nor nginx judges dates; the app instances keep it."""
    return {k: v for k, v in os.environ.items()
            if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}


def start_redis(folder: Path) -> Service:
    port = free_port()

    def pong(port: int) -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")

    return _spawn("redis", [_binary("redis-server") or "redis-server", "--port", str(port),
                            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                            "--dir", str(folder)], folder / "redis.log", port, pong,
                  env=_unfaked_env())


def launch_instance(name: str, folder: Path, env: dict[str, str], port: int) -> Service:
    """gunicorn from the repository's top level, so it reads gunicorn.conf.py by itself;
    several start at once (``wait_instance`` then waits for each)."""
    access = folder / f"{name}.access.log"
    environ = {**os.environ, **env, "FORUM_BIND": f"127.0.0.1:{port}",
               "FORUM_ACCESS_LOG": str(access)}
    service = launch(name, [str(GUNICORN), "--access-logformat", "pid=%(p)s %(r)s %(s)s",
                            "wsgi:app"], folder / f"{name}.log", port, cwd=ROOT, env=environ)
    # Its quick shutdown still waits seconds on nginx's kept-alive connections; the test's
    # end needs no grace.
    service.quit_signal = signal.SIGKILL
    return service


def wait_instance(service: Service) -> Service:
    return wait_up(service, _healthy, timeout=60)


NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx.error.log notice;
events {{ worker_connections 512; }}
http {{
    log_format forum '$remote_addr "$request" $status upstream=$upstream_addr '
                     'upstream_status=$upstream_status';
    access_log {dir}/nginx.access.log forum;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;

    upstream forum {{
        # A server that refuses connections is left alone for fail_timeout, then tried again.
        server 127.0.0.1:{a} max_fails=1 fail_timeout=2s;
        server 127.0.0.1:{b} max_fails=1 fail_timeout=2s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        # Slow senders are cut off here; gunicorn only ever sees whole requests.
        client_header_timeout 10s;
        client_body_timeout 10s;
        client_max_body_size 5m;
        location / {{
            proxy_pass http://forum;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_request_buffering on;
            proxy_buffering on;
            proxy_connect_timeout 2s;
            proxy_send_timeout 30s;
            proxy_read_timeout 30s;
            # nginx's default: another server after a connection error or a timeout, but a
            # POST already sent is never sent twice (the client retries with its key).
            proxy_next_upstream error timeout;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


def start_nginx(folder: Path, upstreams: tuple[int, int]) -> Service:
    port = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=folder, a=upstreams[0], b=upstreams[1], port=port))
    return _spawn("nginx", [_binary("nginx") or "nginx", "-c", str(conf), "-p", str(folder),
                            "-e", str(folder / "nginx.error.log")], folder / "nginx.log", port,
                  _healthy, up_log=folder / "nginx.error.log", env=_unfaked_env())
