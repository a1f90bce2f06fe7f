"""The scanner bundle at forum scale, and offline admission with it (not part of the test suite).

``.venv/bin/python bench/bundle.py [--participants 20000] [--scans 2000]``

Builds the demo event with N participants (forum.demo's bulk builder) on a fresh SQLite file,
issues scanners at the main entrance and the VIP lounge, and fetches each one's bundle through
the API (the first fetch also issues the missing badges): its size in bytes and gzip bytes,
how many people it lists, and the time to build it. Then node runs static/scanner/verify.js
(checkOffline: token parse, Ed25519 signature through WebCrypto, the entrance rule) over
``--scans`` real badge codes against the main entrance's bundle and reports the time per scan.
Prints a table and writes bench/results/bundle-<UTC time>.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bench.report import save  # noqa: E402
from forum import clock, create_app  # noqa: E402
from forum.badges import service as badges  # noqa: E402
from forum.badges.models import Badge  # noqa: E402
from forum.checkin import devices  # noqa: E402
from forum.demo.builder import build_demo  # noqa: E402
from forum.events.models import Event  # noqa: E402
from forum.extensions import db  # noqa: E402

VERIFY_JS = ROOT / "static" / "scanner" / "verify.js"
GATES = ("main-entrance", "vip-lounge")

# Node: checkOffline over every code, one after another as a scanner does; per-scan times.
NODE_SCRIPT = """
import { readFileSync } from "node:fs";
import { checkOffline } from "./verify.mjs";
const bundle = JSON.parse(readFileSync("bundle.json", "utf8"));
const codes = JSON.parse(readFileSync("codes.json", "utf8"));
const moment = new Date(process.argv[2]);
await checkOffline(codes[0], bundle, moment); // imports the key once, as the page does
const times = [];
const statuses = {};
for (const code of codes) {
  const started = process.hrtime.bigint();
  const { status } = await checkOffline(code, bundle, moment);
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
  statuses[status] = (statuses[status] || 0) + 1;
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
console.log(JSON.stringify({
  scans: times.length, statuses,
  mean_ms: times.reduce((a, b) => a + b, 0) / times.length,
  p50_ms: at(0.5), p99_ms: at(0.99), max_ms: times[times.length - 1],
}));
"""


def _fetch(client, token: str) -> tuple[bytes, float]:
    started = time.perf_counter()
    r = client.get("/api/v1/scanner/bundle", headers={"Authorization": f"Bearer {token}"})
    seconds = time.perf_counter() - started
    if r.status_code != 200:
        raise SystemExit(f"bundle: {r.status_code} {r.get_data(as_text=True)[:200]}")
    return r.data, seconds


def run(database_url: str, participants: int, scans: int, folder: Path) -> dict:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        session = db.session
        now = clock.now()
        started = time.perf_counter()
        build_demo(session, slug="digital-bridge", participants=participants, seed=2026, now=now)
        event = session.scalar(select(Event).where(Event.slug == "digital-bridge"))
        tokens = {}
        for slug in GATES:
            gate = devices.get_gate(session, event, slug)
            tokens[slug] = devices.issue(session, gate=gate, name="bench", now=now,
                                         actor="bench")[1]
        session.commit()
        built = time.perf_counter() - started
        client = app.test_client()
        gates = []
        bodies = {}
        for slug in GATES:
            first, first_s = _fetch(client, tokens[slug])
            body, again_s = _fetch(client, tokens[slug])  # badges issued: the steady cost
            bodies[slug] = body
            listed = len(json.loads(body)["participants"])
            gates.append({"gate": slug, "bytes": len(body),
                          "gzip_bytes": len(gzip.compress(body, compresslevel=6)),
                          "listed": listed, "first_fetch_s": round(first_s, 2),
                          "fetch_s": round(again_s, 3)})
        serials = [b for b in session.scalars(select(Badge).where(Badge.event_id == event.id))]
        chosen = random.Random(2026).sample(serials, min(scans, len(serials)))
        codes = [badges.badge_token(session, b) for b in chosen]
        session.rollback()
        db.session.remove()
        db.engine.dispose()
    (folder / "verify.mjs").write_text(VERIFY_JS.read_text())
    (folder / "bundle.json").write_bytes(bodies["main-entrance"])
    (folder / "codes.json").write_text(json.dumps(codes))
    (folder / "run.mjs").write_text(NODE_SCRIPT)
    node = shutil.which("node") or "node"
    out = subprocess.run([node, "run.mjs", datetime.now(UTC).isoformat()], cwd=folder,
                         capture_output=True, text=True, timeout=600)
    if out.returncode:
        raise SystemExit(f"node failed: {out.stderr[-2000:]}")
    offline = json.loads(out.stdout)
    offline["node"] = subprocess.run([node, "--version"], capture_output=True,
                                     text=True).stdout.strip()
    return {"participants": participants, "setup_s": round(built, 1), "gates": gates,
            "offline_verify": offline}


def _table(report: dict) -> str:
    lines = [f"{report['participants']} participants (setup {report['setup_s']} s; "
             f"load average {report['load_avg'][0]:.2f})",
             f"{'gate':16} {'listed':>7} {'bytes':>10} {'gzip bytes':>11} {'build s':>8}"]
    for g in report["gates"]:
        lines.append(f"{g['gate']:16} {g['listed']:>7} {g['bytes']:>10} {g['gzip_bytes']:>11} "
                     f"{g['fetch_s']:>8.3f}")
    o = report["offline_verify"]
    lines.append(f"offline check (verify.js, {o['node']}), {o['scans']} scans at the main "
                 f"entrance: mean {o['mean_ms']:.3f} ms, p50 {o['p50_ms']:.3f} ms, "
                 f"p99 {o['p99_ms']:.3f} ms; {o['statuses']}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--scans", type=int, default=2_000)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="forum-bundle-") as name:
        folder = Path(name)
        report = run(f"sqlite:///{folder}/bench.db", args.participants, args.scans, folder)
    save("bundle", report, load_before, _table)


if __name__ == "__main__":
    main()
