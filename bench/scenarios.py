"""Benchmark scenarios: how to prepare the forum's database, drive it, and check it afterwards.

A scenario names a wrk script (bench/lua/) that both the forum and the reference app answer,
and three hooks that run/verify use. Add one by writing a ``Scenario`` and listing it in
``SCENARIOS``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LUA = ROOT / "bench" / "lua"
EVENT = "digital-bridge"
IN_FLIGHT = 32  # wrk connections: requests that may be unanswered when a run stops

# The forum's settings for every scenario: no rate limit (all load comes from one address).
FORUM_ENV = {"FORUM_RATELIMIT_ENABLED": "0", "FORUM_SECRET_KEY": "bench-not-a-secret-" + "x" * 32,
             "FORUM_ENV": "development"}


@dataclass
class Context:
    kind: str  # "sqlite" | "postgres"
    work: Path  # scratch folder for this scenario and database kind
    run_id: str  # makes request values unique across runs and phases
    rounds: int  # measured rounds per app
    forum_env: dict[str, str]
    reference_url: str  # the reference app's database (a scenario may store rows there)
    notes: dict = field(default_factory=dict)

    def forum(self, *args: str) -> str:
        """Run a forum command (``flask …`` or a bench.forum_setup module); returns stdout."""
        if args[0] == "flask":
            cmd = [str(BIN / "flask"), "--app", "app", *args[1:]]
        else:
            cmd = [sys.executable, "-m", *args]
        done = subprocess.run(cmd, cwd=ROOT, env=self.forum_env, capture_output=True, text=True,
                              timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout[-2000:]}"
                               f"\n{done.stderr[-4000:]}")
        return done.stdout

    def forum_json(self, *args: str) -> dict:
        return json.loads(self.forum(*args).strip().splitlines()[-1])


@dataclass
class Scenario:
    name: str
    script: Path
    target_ratio: float  # forum req/s ÷ reference req/s (DESIGN §8)
    prepare: Callable[[Context], dict]  # fresh forum database → a description of what was set
    wrk_args: Callable[[Context, str], list[str]]  # script arguments for one phase (tag)
    # Called after the forum's warm-up with its result and the measured duration.
    before_measure: Callable[[Context, dict, int], None]
    verify: Callable[[Context, dict], dict]  # forum's wrk result → checks incl. ok, summary
    target_p99_ms: float | None = None
    target_rss_mb: float | None = None  # per gunicorn worker, after the run


def migrate_and_load_demo(ctx: Context, participants: int) -> dict:
    """Migrate the empty database and load the demo event; says how the schema was made."""
    ctx.forum("flask", "db", "upgrade")
    schema = ctx.forum_json("bench.forum_setup", "schema")
    ctx.forum("flask", "forum", "demo", "--participants", str(participants))
    return {**schema, "demo": f"flask forum demo --participants {participants}"}


# --- registration rush ------------------------------------------------------------------------

def _registration_prepare(ctx: Context) -> dict:
    loaded = migrate_and_load_demo(ctx, 0)
    return {**loaded, **ctx.forum_json("bench.forum_setup", "prepare-registration",
                                       "--event", EVENT)}


def _registration_args(ctx: Context, tag: str) -> list[str]:
    return [f"{ctx.run_id}{tag}", EVENT]


def _registration_before_measure(ctx: Context, warmup: dict, duration: int) -> None:
    # Quota for about half of what the measured run will send, judged from the warm-up rate,
    # so both the seat path and the waitlist path are exercised under the same load.
    expected = warmup["rps"] * duration
    ctx.notes["attendee_quota_for_run"] = quota = max(int(expected * 0.5), 50)
    ctx.notes["attendee_quota_result"] = ctx.forum_json(
        "bench.forum_setup", "prepare-registration", "--event", EVENT, "--attendee-quota",
        str(quota))


def _registration_verify(ctx: Context, result: dict) -> dict:
    checks = ctx.forum_json("bench.forum_setup", "verify-registration", "--event", EVENT,
                            "--email-prefix", f"{ctx.run_id}mf")
    created = checks["measured_run_total"]
    # Rows may exceed answered 201s by the requests in flight when wrk stopped (≤ 1 per
    # connection and round); fewer rows than 201s would mean an acknowledged registration was lost.
    in_flight = created - result["statuses"].get("201", 0)
    checks["rows_minus_201"] = in_flight
    rows_ok = 0 <= in_flight <= IN_FLIGHT * ctx.rounds
    checks["ok"] = checks["ok"] and rows_ok
    split = ", ".join(f"{n} {status}" for status, n in sorted(checks["measured_run"].items()))
    checks["summary"] = (
        f"{'OK' if checks['ok'] else 'FAILED'}: {checks['duplicate_emails']} duplicate emails, "
        f"{len(checks['pool_problems'])} pool problems, rows−201s = {in_flight}; "
        f"{split} (attendee quota {checks['attendee_quota']}, taken {checks['attendee_taken']})")
    checks["quota_setup"] = ctx.notes
    return checks


REGISTRATION = Scenario(
    name="registration", script=LUA / "registration.lua", target_ratio=0.30,
    prepare=_registration_prepare, wrk_args=_registration_args,
    before_measure=_registration_before_measure, verify=_registration_verify)


# --- entrance check-in ------------------------------------------------------------------------

CHECKIN_PARTICIPANTS, SCANNERS, GATE = 20_000, 32, "main-entrance"
THREADS = 2  # wrk threads; bench/run.py uses the same number


def _checkin_prepare(ctx: Context) -> dict:
    loaded = migrate_and_load_demo(ctx, CHECKIN_PARTICIPANTS)
    prepared = ctx.forum_json(
        "bench.forum_setup", "prepare-checkin", "--event", EVENT, "--gate", GATE,
        "--scanners", str(SCANNERS), "--codes-out", str(ctx.work / "codes.txt"),
        "--tokens-out", str(ctx.work / "tokens.txt"))
    # The warm-up scans its own slice of the badges, so the measured run meets only badges
    # nobody has presented yet.
    ctx.notes["codes"] = codes = prepared["codes"]
    ctx.notes["warmup_codes"] = min(3000, codes // 5)
    return {**loaded, **prepared}


def _checkin_args(ctx: Context, tag: str) -> list[str]:
    warm = ctx.notes["warmup_codes"]
    if tag.startswith("w"):
        first, last = 1, warm
    else:  # measured rounds ("mf0", "mr1", …) share the rest equally
        per_round = (ctx.notes["codes"] - warm) // ctx.rounds
        first = warm + 1 + int(tag[2:]) * per_round
        last = first + per_round - 1
    return [f"{ctx.run_id}{tag}", str(ctx.work / "codes.txt"), str(ctx.work / "tokens.txt"),
            str(THREADS), GATE, str(first), str(last)]


def _checkin_verify(ctx: Context, result: dict) -> dict:
    checks = ctx.forum_json("bench.forum_setup", "verify-checkin", "--event", EVENT,
                            "--nonce-prefix", f"{ctx.run_id}mf")
    answered_ok = result["outcomes"].get("ok", 0)
    stored_ok = checks["measured_run"].get("ok", 0)
    # As for registrations: stored admissions may exceed answered ones only by scans in flight.
    checks["stored_ok_minus_answered_ok"] = extra = stored_ok - answered_ok
    checks["ok"] = checks["ok"] and 0 <= extra <= IN_FLIGHT * ctx.rounds
    repeats = result["threads_out_of_input"]
    outcomes = ", ".join(f"{n} {o}" for o, n in sorted(result["outcomes"].items()))
    checks["summary"] = (
        f"{'OK' if checks['ok'] else 'FAILED'}: {checks['admitted_twice']} admitted twice, "
        f"stored−answered ok = {extra}; answers: {outcomes}"
        + (f"; {repeats} wrk threads ran out of fresh badges" if repeats else ""))
    return checks


CHECKIN = Scenario(
    name="checkin", script=LUA / "checkin.lua", target_ratio=0.50, target_p99_ms=50,
    target_rss_mb=150,
    prepare=_checkin_prepare, wrk_args=_checkin_args,
    before_measure=lambda _ctx, _warmup, _duration: None, verify=_checkin_verify)


# --- the public program ---------------------------------------------------------------------

def _program_prepare(ctx: Context) -> dict:
    """The demo program (150 sessions, published); the reference keeps the forum's answer."""
    from bench.reference import store_document

    loaded = migrate_and_load_demo(ctx, 0)
    body_file = ctx.work / "program.json"
    answer = ctx.forum_json("bench.forum_setup", "prepare-program", "--event", EVENT,
                            "--body-out", str(body_file))
    body = body_file.read_bytes()
    ctx.notes["forum_etag"] = answer["etag"]
    ctx.notes["reference_etag"] = reference_etag = '"reference-program-1"'
    store_document(ctx.reference_url, body, reference_etag)
    return {**loaded, **answer}


def _program_args(revalidate: bool) -> Callable[[Context, str], list[str]]:
    def args(ctx: Context, tag: str) -> list[str]:
        if not revalidate:
            return [EVENT]
        # Phases are tagged w/m + the app's initial: each app revalidates its own tag.
        app = tag[1]
        return [EVENT, ctx.notes["forum_etag" if app == "f" else "reference_etag"]]
    return args


def _program_verify(expected: int) -> Callable[[Context, dict], dict]:
    def verify(ctx: Context, result: dict) -> dict:
        statuses = {int(k): n for k, n in result["statuses"].items()}
        ok = bool(statuses) and set(statuses) == {expected}
        answers = ", ".join(f"{n} × {status}" for status, n in sorted(statuses.items()))
        return {"ok": ok, "statuses": statuses,
                "summary": f"{'OK' if ok else 'FAILED'}: every answer {expected} ({answers})"}
    return verify


PROGRAM_FULL = Scenario(
    name="program", script=LUA / "program.lua", target_ratio=0.50,
    prepare=_program_prepare, wrk_args=_program_args(revalidate=False),
    before_measure=lambda _ctx, _warmup, _duration: None, verify=_program_verify(200))
PROGRAM_REVALIDATE = Scenario(
    name="program-304", script=LUA / "program.lua", target_ratio=0.50,
    prepare=_program_prepare, wrk_args=_program_args(revalidate=True),
    before_measure=lambda _ctx, _warmup, _duration: None, verify=_program_verify(304))

SCENARIOS: dict[str, Scenario] = {"registration": REGISTRATION, "checkin": CHECKIN,
                                  "program": PROGRAM_FULL, "program-304": PROGRAM_REVALIDATE}
# ``--scenario program`` runs both ways of reading the program.
GROUPS: dict[str, list[str]] = {"program": ["program", "program-304"]}
