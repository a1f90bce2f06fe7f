"""Bulk badge PDF benchmark (DESIGN §8: 20,000 badges ≤ 40 s wall, ≤ 400 MB peak memory).

Builds a demo event in a throwaway SQLite database: migrations, then ``flask forum demo``,
timed too (DESIGN §8: 20,000 participants in ≤ 60 s). Then times
``flask forum badges --out FILE`` for each ``--jobs`` value, sampling the summed RSS of the
command and its worker processes every 100 ms. The first run also issues the badges.
Prints one line per run and writes bench/results/badges-<UTC time>.json.

    .venv/bin/python bench/badges_pdf.py [--participants 21000] [--jobs 1 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET_S, TARGET_MB = 40.0, 400.0
DEMO_TARGET_S = 60.0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(c) for c in fh.read().split()]
    except OSError:
        return []


def _tree_rss_kb(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(_children(current))
        try:
            with open(f"/proc/{current}/status") as fh:
                total += next((int(line.split()[1]) for line in fh
                               if line.startswith("VmRSS:")), 0)
        except OSError:
            pass
    return total


def measure(cmd: list[str], env: dict[str, str]) -> dict:
    """Wall time, peak summed RSS of the process tree, CPU time and output of one command."""
    start = time.perf_counter()
    before = os.times()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.1)
    wall = time.perf_counter() - start
    out, err = proc.communicate()
    after = os.times()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out[-2000:]}\n{err[-2000:]}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system)
    return {"wall_s": round(wall, 1), "peak_rss_mb": round(peak / 1024), "cpu_s": round(cpu, 1),
            "output": out.strip().splitlines()[-1]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=21000,
                        help="demo size (about 95%% end up confirmed, i.e. with a badge)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="forum-badges-bench-") as work:
        env = {**os.environ, "FORUM_DATABASE_URL": f"sqlite:///{work}/forum.db",
               "FORUM_SECRET_KEY": "bench-not-a-secret-" + "x" * 32, "FLASK_APP": "app"}
        flask = [str(BIN / "flask"), "--app", "app"]
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        demo = measure([*flask, "forum", "demo", "--participants", str(args.participants)], env)
        demo["ok"] = demo["wall_s"] <= DEMO_TARGET_S
        print(f"demo data, {args.participants} participants: wall {demo['wall_s']} s "
              f"(target ≤ {DEMO_TARGET_S:.0f}), peak RSS {demo['peak_rss_mb']} MB")
        runs = []
        for jobs in args.jobs:
            load = os.getloadavg()[0]
            result = measure([*flask, "forum", "badges", "--out", f"{work}/badges.pdf",
                              "--no-mark", "--jobs", str(jobs)], env)
            pdf = Path(f"{work}/badges.pdf").stat().st_size
            result.update(jobs=jobs, load_before=round(load, 1), pdf_mb=round(pdf / 2**20, 1),
                          ok=result["wall_s"] <= TARGET_S and result["peak_rss_mb"] <= TARGET_MB)
            runs.append(result)
            print(f"jobs={jobs}: {result['output']}; wall {result['wall_s']} s "
                  f"(target ≤ {TARGET_S:.0f}), peak RSS {result['peak_rss_mb']} MB "
                  f"(≤ {TARGET_MB:.0f}), CPU {result['cpu_s']} s, PDF {result['pdf_mb']} MB, "
                  f"load before {result['load_before']}")
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (results / f"badges-{stamp}.json").write_text(json.dumps(
        {"scenario": "bulk badge PDF", "participants": args.participants, "runs": runs,
         "demo": demo,
         "cpus": os.cpu_count()}, indent=2))
    return 0 if all(r["ok"] for r in runs) and demo["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
