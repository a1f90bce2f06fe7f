"""Organizer participant search latency: ``python bench/search.py [--sizes 20000 200000]
[--db sqlite|postgres|both] [--n 200]``.

For each database kind and size it migrates a fresh database, builds the demo event with that
many participants, signs in an organizer, and times ``--n`` searches of each kind in-process
through the Flask test client (the whole request: auth, parsing, query, JSON). Search texts are
fragments of the built people's own names and emails, drawn with a fixed seed. Prints a table
(p50/p95/max per kind and size) and writes bench/results/search-<UTC time>.json.

"Deep page" asks for pages 150–250 (offset 7,500–12,500) at every size, so both sizes walk the
same distance into the sorted list. PostgreSQL tables are vacuumed and analyzed after the build
(autovacuum does both shortly after such a load); SQLite gets no ANALYZE, as a fresh install
has none.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, text  # noqa: E402

from bench import pgserver  # noqa: E402
from forum import clock, create_app  # noqa: E402
from forum.accounts import service as accounts  # noqa: E402
from forum.accounts.models import Role  # noqa: E402
from forum.demo import build_demo  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.registration.models import Participant  # noqa: E402

RESULTS = ROOT / "bench" / "results"
SLUG = "digital-bridge"
Query = dict[str, str]


def _fragment(rng: random.Random, word: str, size: int = 4) -> str:
    """A piece from the inside of a word when it is long enough (what people half-remember)."""
    if len(word) <= size:
        return word
    start = rng.randrange(1, len(word) - size + 1) if len(word) > size + 1 else 0
    return word[start:start + size]


def query_kinds(people: list, rng: random.Random) -> dict[str, Callable[[], Query]]:
    """Each kind of search, as a maker of query strings (drawn afresh on every call)."""
    cyrillic = [p for p in people if p.last_name_cyrillic]
    countries = sorted({p.country for p in people})
    return {
        "cyrillic fragment": lambda: {
            "q": _fragment(rng, rng.choice(cyrillic).last_name_cyrillic.lower())},
        "latin fragment": lambda: {"q": _fragment(rng, rng.choice(people).last_name)},
        "email fragment": lambda: {
            "q": _fragment(rng, rng.choice(people).email.partition("@")[0], 5)},
        "filters only": lambda: rng.choice([
            {"status": "confirmed", "country": rng.choice(countries)},
            {"category": "attendee", "badge_printed": "false"},
            {"status": "pending", "sort": "-created"},
            {"country": "KZ", "sort": "country"},
            {"checked_in": "false", "status": "confirmed"},
        ]),
        "filter + q": lambda: {"country": "KZ", "status": "confirmed",
                               "q": _fragment(rng, rng.choice(people).first_name, 3)},
        "deep page by name": lambda: {"sort": "name", "page": str(rng.randint(150, 250))},
    }


def _ms(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": round(statistics.median(ordered), 2), "p95": round(p95, 2),
            "max": round(ordered[-1], 2), "n": len(ordered)}


def _organizer_headers(event_id: int, now: datetime) -> dict[str, str]:
    spec = accounts.GrantSpec(Role.ORGANIZER, event_id=event_id)
    account = accounts.create_account(db.session, email="bench-organizer@example.kz",
                                      name="Bench Organizer", password=None, grants=[spec],
                                      now=now)
    token = accounts.issue_token(db.session, account, now=now, lifetime=timedelta(hours=4))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def measure(url: str, kind_db: str, size: int, n: int, seed: int) -> dict:
    """Build one database of ``size`` participants and time every kind of search on it."""
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                      "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        now = clock.now()
        started = time.perf_counter()
        build_demo(db.session, slug=SLUG, participants=size, seed=seed, now=now)
        db.session.commit()
        build_s = time.perf_counter() - started
        if kind_db == "postgres":
            db.session.commit()
            # What autovacuum does soon after such a load: statistics, visibility map, and
            # the trigram index's pending list merged.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as raw:
                raw.execute(text("VACUUM ANALYZE"))
        people = db.session.execute(select(
            Participant.event_id, Participant.first_name, Participant.last_name,
            Participant.last_name_cyrillic, Participant.email, Participant.country)).all()
        headers = _organizer_headers(people[0].event_id, now)
        db.session.remove()
        client = app.test_client()
        rng = random.Random(seed)
        path = f"/api/v1/events/{SLUG}/participants"
        kinds = query_kinds(people, rng)
        for make in kinds.values():  # warm-up: caches, prepared plans, the index's pages
            for _ in range(5):
                client.get(path, query_string=make(), headers=headers)
        figures, totals = {}, {}
        for name, make in kinds.items():
            samples, found = [], []
            for _ in range(n):
                query = make()
                started = time.perf_counter()
                answer = client.get(path, query_string=query, headers=headers)
                samples.append((time.perf_counter() - started) * 1000)
                if answer.status_code != 200:
                    raise SystemExit(f"{query}: {answer.status_code} {answer.get_data()[:300]}")
                found.append(answer.get_json()["total"])
            figures[name] = _ms(samples)
            totals[name] = {"median_total": statistics.median(found), "max_total": max(found)}
        db.engine.dispose()
    return {"db": kind_db, "participants": size, "at": now.isoformat(timespec="seconds"),
            "build_seconds": round(build_s, 1), "latency_ms": figures, "totals": totals}


def run(kinds: list[str], sizes: list[int], n: int, seed: int) -> list[dict]:
    rows = []
    for kind_db in kinds:
        if kind_db == "sqlite":
            with tempfile.TemporaryDirectory(prefix="forum-bench-search-") as work:
                for size in sizes:
                    url = f"sqlite:///{Path(work) / f'search-{size}.db'}"
                    rows.append(measure(url, kind_db, size, n, seed))
                    print(table([rows[-1]]), flush=True)
        else:
            names = tuple(f"search_{size}" for size in sizes)
            with pgserver.server(names) as (urls, _pid):
                for size, name in zip(sizes, names, strict=True):
                    rows.append(measure(urls[name], kind_db, size, n, seed))
                    print(table([rows[-1]]), flush=True)
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| db | participants | query | p50 ms | p95 ms | max ms | median total |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        for name, fig in row["latency_ms"].items():
            lines.append(f"| {row['db']} | {row['participants']:,} | {name} | {fig['p50']} | "
                         f"{fig['p95']} | {fig['max']} | "
                         f"{row['totals'][name]['median_total']:,} |")
        worst = max(fig["p95"] for fig in row["latency_ms"].values())
        lines.append(f"| {row['db']} | {row['participants']:,} | **worst p95** | | "
                     f"**{worst}** | | build {row['build_seconds']} s |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python bench/search.py")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--n", type=int, default=200, help="searches per kind")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    rows = run(kinds, args.sizes, args.n, args.seed)
    print("\n" + table(rows))
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.fromisoformat(rows[0]["at"]).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"search-{stamp}.json"
    out.write_text(json.dumps({"scenario": "search", "when": stamp, "n_per_kind": args.n,
                               "machine": platform.platform(), "runs": rows}, indent=2))
    print(f"\nwritten {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
