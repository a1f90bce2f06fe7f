"""Roster import and export at forum scale: 20,000 participants (not part of the test suite).

``.venv/bin/python bench/rosters.py [--participants 20000] [--database-url URL | --postgres]``

Builds the demo event with N participants (forum.demo's bulk builder), then times, each in its
own transaction: a CSV and an XLSX export of everyone; an import of the exported CSV and XLSX
into fresh events (every row created); a re-import of the CSV into the first of them with every
job title changed (every row updated). Peak RSS is sampled during each step. The schema is
built with ``create_all``. Prints a table and writes bench/results/rosters-<UTC time>.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import database, database_options, save  # noqa: E402
from forum import clock, create_app  # noqa: E402
from forum.demo.builder import build_demo  # noqa: E402
from forum.events.models import Event  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.rosters import export_participants, import_roster  # noqa: E402
from forum.rosters.reader import MAX_BYTES  # noqa: E402

TARGETS = {"import": 20.0, "export": 5.0}


class PeakRss:
    """The process's largest resident set size while the block runs (sampled every 20 ms)."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.peak = self.process.memory_info().rss
        self._stop = threading.Event()

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> PeakRss:
        self.start = self.process.memory_info().rss
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)


def _step(results: list[dict], name: str, kind: str, work) -> object:
    with PeakRss() as rss:
        started, cpu = time.perf_counter(), time.process_time()
        outcome, info = work()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    results.append({"step": name, "seconds": round(seconds, 2), "cpu_s": round(cpu, 2),
                    "target_s": TARGETS[kind],
                    "rss_start_mb": round(rss.start / 2**20, 1),
                    "rss_peak_mb": round(rss.peak / 2**20, 1), **info})
    return outcome


def _export(session, event, fmt: str, now):
    def work():
        export = export_participants(session, event=event, format=fmt, now=now)
        data = b"".join(export)
        session.rollback()
        return data, {"rows": export.rows, "bytes": len(data)}
    return work


def _import(session, slug: str, data: bytes, now):
    def work():
        event = session.scalar(db.select(Event).where(Event.slug == slug))
        result = import_roster(session, event=event, data=data, dry_run=False, now=now,
                               actor="bench", max_bytes=max(MAX_BYTES, len(data)))
        session.commit()
        if result.errors:
            raise SystemExit(f"import errors: {result.errors[:5]}")
        return result, {"rows": result.rows, "created": result.created,
                        "updated": result.updated, "unchanged": result.unchanged,
                        "statuses": result.statuses}
    return work


def run(database_url: str, participants: int) -> dict:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    results: list[dict] = []
    with app.app_context():
        db.create_all()
        session = db.session
        now = clock.now()  # the app's clock, as the commands use
        started = time.perf_counter()
        build_demo(session, slug="digital-bridge", participants=participants, seed=2026, now=now)
        for slug in ("import-csv", "import-xlsx"):
            build_demo(session, slug=slug, participants=0, seed=2026, now=now)
        session.commit()
        built = time.perf_counter() - started
        event = session.scalar(db.select(Event).where(Event.slug == "digital-bridge"))
        csv_data = _step(results, "export csv", "export", _export(session, event, "csv", now))
        xlsx_data = _step(results, "export xlsx", "export", _export(session, event, "xlsx", now))
        _step(results, "import csv (new event)", "import",
              _import(session, "import-csv", csv_data, now))
        _step(results, "import xlsx (new event)", "import",
              _import(session, "import-xlsx", xlsx_data, now))
        changed = _retitle(csv_data)
        _step(results, "re-import csv (updates)", "import",
              _import(session, "import-csv", changed, now))
        _step(results, "re-import csv (unchanged)", "import",
              _import(session, "import-csv", changed, now))
        backend = db.engine.dialect.name
        db.session.remove()
        db.engine.dispose()
    return {"backend": backend, "participants": participants, "setup_s": round(built, 1),
            "steps": results}


def _retitle(csv_data: bytes) -> bytes:
    """The same roster with every job title changed (column 'Job title')."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(csv_data.decode("utf-8-sig"), newline="")))
    at = rows[0].index("Job title")
    for row in rows[1:]:
        row[at] = f"{row[at]} (2nd)"[:200]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _table(report: dict) -> str:
    lines = [f"{report['backend']}, {report['participants']} participants "
             f"(setup {report['setup_s']} s; load average {report['load_avg'][0]:.2f})",
             f"{'step':28} {'rows':>6} {'seconds':>8} {'cpu s':>6} {'target':>7} "
             f"{'peak RSS MB':>12}"]
    for step in report["steps"]:
        ok = "ok" if step["seconds"] <= step["target_s"] else "OVER"
        lines.append(f"{step['step']:28} {step['rows']:>6} {step['seconds']:>8.2f} "
                     f"{step['cpu_s']:>6.2f} "
                     f"{step['target_s']:>6.0f}s {step['rss_peak_mb']:>12.1f}  {ok}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=20_000)
    database_options(parser)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with database(args, "rosters") as url:
        report = run(url, args.participants)
    save("rosters", report, load_before, _table)


if __name__ == "__main__":
    main()
