"""A throwaway PostgreSQL server for the test session, started with the machine's pg_ctl.

PostgreSQL refuses to run as root, so under root (CI, containers) the server runs as the
``postgres`` system user, which Debian's postgresql package creates.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    host: str
    port: int
    user: str
    datadir: Path
    _as_user: list[str]
    _pg_ctl: str

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"

    def stop(self) -> None:
        subprocess.run([*self._as_user, self._pg_ctl, "-D", str(self.datadir), "-m", "immediate",
                        "stop"], check=False, capture_output=True)
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def start() -> PostgresServer:
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise FileNotFoundError("initdb/pg_ctl not found (install Debian's postgresql package)")
    as_user: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="forum-pg-"))
    user = pwd.getpwuid(os.getuid()).pw_name
    if os.geteuid() == 0:
        user = "postgres"
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, user="postgres")
    datadir = base / "data"
    subprocess.run([*as_user, initdb, "-D", str(datadir), "-U", user, "--auth=trust",
                    "--encoding=UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    port = _free_port()
    options = (f"-h 127.0.0.1 -p {port} -k {base} -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c max_connections=200")
    subprocess.run([*as_user, pg_ctl, "-D", str(datadir), "-o", options, "-l",
                    str(base / "log"), "-w", "-t", "60", "start"], check=True, capture_output=True)
    return PostgresServer("127.0.0.1", port, user, datadir, as_user, pg_ctl)
