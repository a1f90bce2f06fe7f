"""What the one-shot bench scripts (mail, rosters, bundle) share: the database they run on
and the result file they leave in bench/results/, stamped with the machine's state."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def database_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: a fresh SQLite file)")
    parser.add_argument("--postgres", action="store_true",
                        help="a throwaway PostgreSQL server (bench/pgserver.py)")


@contextlib.contextmanager
def database(args: argparse.Namespace, name: str) -> Iterator[str]:
    """The URL the options name: given, a throwaway PostgreSQL database, or a SQLite file."""
    if getattr(args, "database_url", None):
        yield args.database_url
    elif getattr(args, "postgres", False):
        from bench.pgserver import server

        with server((name,)) as (urls, _pid):
            yield urls[name]
    else:
        with tempfile.TemporaryDirectory(prefix=f"forum-{name}-") as folder:
            yield f"sqlite:///{folder}/bench.db"


def save(name: str, report: dict, load_before: tuple[float, ...],
         table: Callable[[dict], str]) -> Path:
    """Stamp ``report`` (time, Python, CPUs, load before and after), print its table and
    write it to bench/results/<name>-<UTC stamp>.json."""
    stamp = datetime.now(UTC)  # the result file's own time
    report.update({"at": stamp.isoformat(timespec="seconds"),
                   "python": platform.python_version(), "cpus": os.cpu_count(),
                   "load_avg": os.getloadavg(), "load_avg_before": load_before})
    print(table(report))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}-{stamp:%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"results: {out.relative_to(ROOT)}")
    return out
