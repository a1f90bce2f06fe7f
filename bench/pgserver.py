"""A throwaway PostgreSQL server on 127.0.0.1 for one benchmark run, removed afterwards."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

_SEARCH = ("/usr/local/bin", "/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin",
           "/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for folder in _SEARCH:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    raise RuntimeError(f"{name} not found (install PostgreSQL server binaries)")


# PostgreSQL refuses to run as root: the server then runs as the ``postgres`` OS user.
_OWNER = "postgres" if os.geteuid() == 0 else None


def _run(cmd: list[str], *, check: bool = True) -> None:
    if _OWNER:
        cmd = ["runuser", "-u", _OWNER, "--", *cmd]
    subprocess.run(cmd, check=check, capture_output=True, text=True)


@contextlib.contextmanager
def server(databases: tuple[str, ...]) -> Iterator[tuple[dict[str, str], int]]:
    """Start a server, create ``databases``; yields ({name: SQLAlchemy URL}, postmaster pid).

    The server is stopped and its folder deleted when the block ends.
    """
    base = Path(tempfile.mkdtemp(prefix="forum-bench-pg-"))
    data, sockets = base / "data", base / "run"
    port = free_port()
    pg_ctl, initdb, psql = _binary("pg_ctl"), _binary("initdb"), _binary("psql")
    try:
        sockets.mkdir()
        if _OWNER:
            entry = pwd.getpwnam(_OWNER)
            for path in (base, sockets):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        _run([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
             "--no-instructions"])
        # Listen on loopback only; enough connections for two gunicorn workers' pools and the
        # driver. Durability settings stay at their defaults: the benchmark measures a real
        # commit.
        options = f"-h 127.0.0.1 -p {port} -k {sockets} -c max_connections=60"
        _run([pg_ctl, "-D", str(data), "-l", str(base / "server.log"), "-o", options, "-w",
             "start"])
        try:
            urls = {}
            for name in databases:
                _run([psql, "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "postgres",
                     "-c", f'CREATE DATABASE "{name}"'])
                urls[name] = f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"
            pid = int((data / "postmaster.pid").read_text().split()[0])
            yield urls, pid
        finally:
            _run([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], check=False)
    finally:
        shutil.rmtree(base, ignore_errors=True)
