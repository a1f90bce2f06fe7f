"""Benchmark driver: ``python bench/run.py [--scenario …] [--db …] [--duration 10]``.

For every database kind and scenario it prepares fresh databases, serves the reference app and
then the forum under the same gunicorn settings on 127.0.0.1, drives each with wrk (32
connections, fixed duration), checks the forum's database afterwards, and prints a Markdown
table. Results are written to bench/results/<UTC time>.json. All servers stop by themselves.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import pgserver, scenarios  # noqa: E402
from bench.reference import init_db  # noqa: E402

BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
# One set of server settings for both apps (DESIGN §8): two synchronous workers.
GUNICORN_ARGS = ["--workers", "2", "--worker-class", "sync", "--backlog", "2048",
                 "--timeout", "120", "--graceful-timeout", "5", "--log-level", "warning"]
CONNECTIONS, THREADS = scenarios.IN_FLIGHT, scenarios.THREADS
WARMUP_SECONDS = 2


@dataclass
class Served:
    url: str
    process: subprocess.Popen
    log: Path

    def drain(self) -> None:
        """Wait until requests still queued from a finished load run have been answered."""
        for _ in range(2):  # answered in turn by each worker once its backlog is done
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=60) as answer:
                answer.read()

    def cpu_seconds(self) -> float:
        """CPU time used so far by the gunicorn master and workers."""
        return tree_cpu_seconds(self.process.pid)

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each gunicorn worker, in MB."""
        with contextlib.suppress(psutil.Error):
            children = psutil.Process(self.process.pid).children()
            return [round(c.memory_info().rss / 2**20, 1) for c in children]
        return []


def tree_cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of a process and its children (0 without a process)."""
    if pid is None:
        return 0.0
    total = 0.0
    with contextlib.suppress(psutil.Error):
        parent = psutil.Process(pid)
        for proc in (parent, *parent.children(recursive=True)):
            with contextlib.suppress(psutil.Error):
                times = proc.cpu_times()
                total += times.user + times.system
    return total


@contextlib.contextmanager
def serve(app_spec: str, env: dict[str, str], log: Path) -> Iterator[Served]:
    """Run gunicorn for ``app_spec`` until the block ends; waits until /healthz answers."""
    port = pgserver.free_port()
    cmd = [str(BIN / "gunicorn"), *GUNICORN_ARGS, "--bind", f"127.0.0.1:{port}", app_spec]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError as exc:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not answer: {log.read_text()[-2000:]}"
                                       ) from exc
                time.sleep(0.2)
        yield Served(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wrk(url: str, script: Path, args: list[str], seconds: int) -> dict:
    """One wrk run; returns the summary printed by bench/lua/common.lua plus derived figures."""
    cmd = ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s",
           "--timeout", "10s", "--latency", "-s", str(script), url, "--", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=True)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    result = json.loads(line.removeprefix("BENCH_JSON "))
    statuses = {int(k): v for k, v in result["statuses"].items()}
    result["ok_2xx"] = sum(v for k, v in statuses.items() if 200 <= k < 300)
    # A 304 is the expected answer of a revalidation, not a failure.
    result["non_2xx"] = sum(v for k, v in statuses.items() if not (200 <= k < 300 or k == 304))
    result["rps"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
    result["p50_ms"] = round(result["latency_us"]["p50"] / 1000, 1)
    result["p99_ms"] = round(result["latency_us"]["p99"] / 1000, 1)
    return result


def machine_snapshot() -> dict:
    """Load and the busiest other processes: the machine is shared, so say what else ran."""
    mine = {os.getpid(), *(p.pid for p in psutil.Process().children(recursive=True))}
    procs = list(psutil.process_iter(["pid", "name", "cmdline"]))
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.cpu_percent(None)
    psutil.cpu_percent(None)
    time.sleep(1.0)
    busy: dict[str, float] = {}
    for proc in procs:
        if proc.pid in mine:
            continue
        with contextlib.suppress(psutil.Error):
            cpu = proc.cpu_percent(None)
            if cpu >= 5:
                cmd = " ".join(proc.info["cmdline"] or [proc.info["name"]])[:100]
                busy[cmd] = busy.get(cmd, 0) + cpu
    return {"loadavg": [round(x, 2) for x in os.getloadavg()],
            "cpu_busy_percent_before_our_load": psutil.cpu_percent(None),
            "busy_processes": sorted(({"cmd": c, "cpu_percent": round(p)}
                                      for c, p in busy.items()),
                                     key=lambda b: -b["cpu_percent"])[:8]}


@contextlib.contextmanager
def databases(kind: str, work: Path) -> Iterator[tuple[dict[str, str], int | None]]:
    """Fresh, empty databases named forum and reference; with the server's pid, if any."""
    if kind == "sqlite":
        yield {name: f"sqlite:///{work / f'{name}.db'}" for name in ("forum", "reference")}, None
    else:
        with pgserver.server(("forum", "reference")) as (urls, pid):
            yield urls, pid


def combine(results: list[dict]) -> dict:
    """Rounds of one app → medians of the figures, summed counts, every round kept."""
    def total(key: str) -> dict:
        out: dict[str, int] = {}
        for r in results:
            for k, v in r[key].items():
                out[k] = out.get(k, 0) + v
        return out

    return {"rps": statistics.median(r["rps"] for r in results),
            "p50_ms": statistics.median(r["p50_ms"] for r in results),
            "p99_ms": statistics.median(r["p99_ms"] for r in results),
            "cpu_ms_per_request": statistics.median(r["cpu_ms_per_request"] for r in results),
            "requests": sum(r["requests"] for r in results),
            "ok_2xx": sum(r["ok_2xx"] for r in results),
            "non_2xx": sum(r["non_2xx"] for r in results),
            "statuses": total("statuses"), "outcomes": total("outcomes"),
            "threads_out_of_input": sum(r["threads_out_of_input"] for r in results),
            "rounds": results}


def run_pair(scenario: scenarios.Scenario, kind: str, duration: int, rounds: int,
             work: Path) -> dict:
    """Reference and forum, same database kind, same load, alternating rounds (ABBA…)."""
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("FORUM_")}
    # gunicorn also reads the top-level gunicorn.conf.py for both apps (the flags above win):
    # its per-request access log line is left out of the measurement.
    base_env["FORUM_ACCESS_LOG"] = ""
    tag = f"[{scenario.name}/{kind}]"
    with databases(kind, work) as (urls, db_pid):
        envs = {"reference": {**base_env, "REFERENCE_DATABASE_URL": urls["reference"]},
                "forum": {**base_env, **scenarios.FORUM_ENV, "FORUM_DATABASE_URL": urls["forum"]}}
        specs = {"reference": "bench.reference:create_app()", "forum": "wsgi:app"}
        init_db(urls["reference"])
        ctx = scenarios.Context(kind=kind, work=work, rounds=rounds,
                                reference_url=urls["reference"],
                                run_id=datetime.now(UTC).strftime("%H%M%S"),
                                forum_env=envs["forum"])
        print(f"{tag} preparing the forum database…", flush=True)
        prepared = scenario.prepare(ctx)
        before = machine_snapshot()
        busy = ", ".join(f"{b['cmd'][:40]} {b['cpu_percent']}%" for b in before["busy_processes"])
        print(f"{tag} machine at the start: load {before['loadavg']}, "
              f"{before['cpu_busy_percent_before_our_load']}% CPU busy"
              + (f" ({busy})" if busy else ""), flush=True)
        measured: dict[str, list[dict]] = {"reference": [], "forum": []}
        with contextlib.ExitStack() as stack:
            served = {label: stack.enter_context(serve(specs[label], envs[label],
                                                       work / f"{label}.log"))
                      for label in ("reference", "forum")}
            for label, server in served.items():
                warm = wrk(server.url, scenario.script, scenario.wrk_args(ctx, f"w{label[0]}"),
                           WARMUP_SECONDS)
                server.drain()
                if label == "forum":
                    scenario.before_measure(ctx, warm, duration * rounds)
            for n in range(rounds):
                order = ("reference", "forum") if n % 2 == 0 else ("forum", "reference")
                for label in order:
                    print(f"{tag} round {n + 1}/{rounds}, {label}: {duration} s of load…",
                          flush=True)
                    cpu_before = served[label].cpu_seconds() + tree_cpu_seconds(db_pid)
                    result = wrk(served[label].url, scenario.script,
                                 scenario.wrk_args(ctx, f"m{label[0]}{n}"), duration)
                    served[label].drain()
                    # CPU per request drifts far less than req/s on a shared machine. Each
                    # connection leaves one request in flight, answered during the drain.
                    cpu = served[label].cpu_seconds() + tree_cpu_seconds(db_pid) - cpu_before
                    result["cpu_ms_per_request"] = round(
                        cpu * 1000 / (result["requests"] + CONNECTIONS), 2)
                    measured[label].append(result)
            rss = {label: server.worker_rss_mb() for label, server in served.items()}
        results = {label: {**combine(runs), "worker_rss_mb": rss[label]}
                   for label, runs in measured.items()}
        checks = scenario.verify(ctx, results["forum"])
        after = machine_snapshot()
    ratios = [round(f["rps"] / r["rps"], 3) for f, r in zip(measured["forum"],
                                                            measured["reference"], strict=True)]
    ratio = statistics.median(ratios)
    # What the throughput ratio would be if both were bound by their own CPU use (app + DB).
    cpu_ratio = round(results["reference"]["cpu_ms_per_request"]
                      / results["forum"]["cpu_ms_per_request"], 3)
    targets = {"ratio": ratio >= scenario.target_ratio}
    if scenario.target_p99_ms is not None:
        targets["p99"] = results["forum"]["p99_ms"] <= scenario.target_p99_ms
    if scenario.target_rss_mb is not None:
        targets["rss"] = max(rss["forum"] or [0]) <= scenario.target_rss_mb
    return {"scenario": scenario.name, "db": kind, "duration_s": duration, "rounds": rounds,
            "connections": CONNECTIONS, "prepared": prepared, **results,
            "ratio": ratio, "ratio_per_round": ratios, "cpu_ratio": cpu_ratio,
            "target_ratio": scenario.target_ratio,
            "target_p99_ms": scenario.target_p99_ms, "target_rss_mb": scenario.target_rss_mb,
            "targets_met": targets, "checks": checks,
            "machine_before": before, "machine_after": after}


def markdown(rows: list[dict]) -> str:
    lines = ["| scenario | db | forum req/s | reference req/s | ratio (target) "
             "| CPU ms/req forum / ref (ratio) | forum p50 / p99 ms | reference p50 / p99 ms "
             "| forum non-2xx/304 | worker RSS MB | targets | checks |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        f, ref = r["forum"], r["reference"]
        p99_target = f" (≤ {r['target_p99_ms']:g})" if r["target_p99_ms"] else ""
        met = ", ".join(f"{k} {'met' if ok else 'MISSED'}" for k, ok in r["targets_met"].items())
        lines.append(
            f"| {r['scenario']} | {r['db']} | {f['rps']:.0f} | {ref['rps']:.0f} | "
            f"{r['ratio']:.2f} (≥ {r['target_ratio']:.2f}) | "
            f"{f['cpu_ms_per_request']:.2f} / {ref['cpu_ms_per_request']:.2f} "
            f"({r['cpu_ratio']:.2f}) | "
            f"{f['p50_ms']:.1f} / {f['p99_ms']:.1f}{p99_target} | "
            f"{ref['p50_ms']:.1f} / {ref['p99_ms']:.1f} | {f['non_2xx']} | "
            f"{max(f['worker_rss_mb'] or [0]):.0f} | {met} | {r['checks']['summary']} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=[*scenarios.SCENARIOS, *scenarios.GROUPS, "all"],
                        default="all")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=10,
                        help="seconds of load per app and round")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measured rounds per app, alternating which goes first")
    args = parser.parse_args()
    if not 1 <= args.duration <= 120:
        parser.error("--duration must be between 1 and 120 seconds")
    if not 1 <= args.rounds <= 5:
        parser.error("--rounds must be between 1 and 5")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian/Ubuntu: apt-get install wrk)")

    names = (list(scenarios.SCENARIOS) if args.scenario == "all"
             else scenarios.GROUPS.get(args.scenario, [args.scenario]))
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    started = datetime.now(UTC)
    rows = []
    with tempfile.TemporaryDirectory(prefix="forum-bench-") as tmp:
        for name in names:
            for kind in kinds:
                work = Path(tmp) / f"{name}-{kind}"
                work.mkdir()
                rows.append(run_pair(scenarios.SCENARIOS[name], kind, args.duration, args.rounds,
                                     work))

    table = markdown(rows)
    print()
    print(table)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    out.write_text(json.dumps({
        "started_at": started.isoformat(), "command": " ".join(sys.argv),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version()},
        "gunicorn": GUNICORN_ARGS, "wrk": {"threads": THREADS, "connections": CONNECTIONS,
                                          "warmup_s": WARMUP_SECONDS},
        "results": rows, "markdown": table}, indent=2))
    print(f"\nresults: {out.relative_to(ROOT)}")
    failed = [r for r in rows if not r["checks"]["ok"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
