"""Scale-out, proven: nginx in front of two app instances (gunicorn with the top-level
gunicorn.conf.py, production mode), one PostgreSQL and one Redis, all on 127.0.0.1.

A registration rush and a scan rush go through nginx at once, and one instance is SIGKILLed
(master and workers) in the middle; clients retry a lost connection or a 502/503 with the
same Idempotency-Key or scan nonce, as the register page and the scanner do. Then: nothing
lost or doubled, a key's answer replayed by the other instance, a rate limit counted once
across both, and a revoked scanner refused by both within devices.CACHE_SECONDS (measured).

``make scale-out`` runs only this test.
"""

from __future__ import annotations

import os
import random
import secrets
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import func, select

from forum import keyring
from forum.accounts import service as accounts
from forum.badges import service as badges
from forum.checkin import devices
from forum.checkin.demo import setup_demo_zones
from forum.checkin.models import Checkin, Outcome, ZoneAdmission
from forum.events.models import Category, Event
from forum.extensions import db
from forum.idempotency import IdempotencyRecord
from forum.registration.models import Participant, Status

from . import factories
from . import scale_out as so
from .auth import make_account
from .conftest import make_app

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

REGISTRATIONS, REGISTRATION_THREADS = 300, 16
QUOTA = 250  # the venue: the pre-made badge holders and the first 190 of the rush get a seat
BADGES = 60  # confirmed people with badges before the rush, scanned during it
GATES = {"main-entrance": 3, "plenary-door": 2}  # devices per gate; every device scans every badge
LOGIN_LIMIT, LOGIN_TRIES = 5, 12
SLUG = "scale-out"
PATH = f"/api/v1/events/{SLUG}/registrations"


@dataclass
class World:
    """What the test made in the database before the servers started."""

    codes: list[str]  # badge QR texts of the pre-made confirmed people
    scanners: dict[str, list[str]]  # gate → device tokens
    doomed: tuple[int, str, str]  # (id, public id, token) of the device revoked later
    organizer: dict[str, str]  # bearer headers


@dataclass
class Deployment:
    app: Flask  # the test's own app on the same database and secrets (for setup and checks)
    world: World
    folder: Path
    env: dict[str, str]
    a: so.Service
    b: so.Service
    nginx: so.Service


def _strong_secret() -> str:
    while keyring.weakness(value := secrets.token_urlsafe(32)) is not None:
        pass
    return value


def _build(app: Flask) -> World:
    now = datetime.now(UTC)  # the servers run on the wall clock: so does their data
    with app.app_context():
        db.create_all()
        today = now.astimezone(ZoneInfo("Asia/Almaty")).date()
        event = factories.make_event(
            db.session, slug=SLUG, quota=QUOTA, starts_on=today,
            ends_on=today + timedelta(days=1), registration_opens_at=now - timedelta(days=30),
            registration_closes_at=now + timedelta(days=1), created_at=now)
        gates = setup_demo_zones(db.session, event, now=now)
        codes = []
        for _ in range(BADGES):
            person = factories.make_participant(db.session, event, now=now)
            codes.append(badges.badge_token(
                db.session, badges.ensure_badge(db.session, person, now=now)))
        scanners = {gate: [devices.issue(db.session, gate=gates[gate], name=f"{gate} {i}",
                                         now=now, actor="test")[1] for i in range(count)]
                    for gate, count in GATES.items()}
        doomed, doomed_token = devices.issue(db.session, gate=gates["main-entrance"],
                                             name="stolen phone", now=now, actor="test")
        account = make_account(db.session, event=event)
        token = accounts.issue_token(db.session, account, now=now, lifetime=timedelta(hours=1))
        db.session.commit()
        world = World(codes, scanners, (doomed.id, doomed.public_id, doomed_token),
                      {"Authorization": f"Bearer {token}"})
        db.session.remove()
        db.engine.dispose()
    return world


@pytest.fixture
def deployment(pg_url, tmp_path):
    missing = so.missing_binaries()
    if missing:
        if os.environ.get("FORUM_REQUIRE_POSTGRES") == "1":  # make test installs both
            pytest.fail(f"not installed: {missing}")
        pytest.skip(f"not installed: {missing}")
    secret, kek = _strong_secret(), _strong_secret()
    app = make_app(pg_url, SECRET_KEY=secret, FORUM_KEY_ENCRYPTION_KEY=kek)
    world = _build(app)
    with ExitStack() as stack:
        redis = so.start_redis(tmp_path)
        stack.callback(redis.stop)
        env = {"FORUM_ENV": "production", "FORUM_DATABASE_URL": pg_url,
               "FORUM_SECRET_KEY": secret, "FORUM_KEY_ENCRYPTION_KEY": kek,
               "FORUM_RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis.port}",
               "FORUM_TRUST_PROXY": "1", "FORUM_WORKERS": "2",
               # The rush comes from one address (nginx's client, 127.0.0.1).
               "FORUM_REGISTRATION_RATE_LIMIT": "100000 per minute",
               "FORUM_LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute",
               "FORUM_PASSWORD_HASH_MEMORY_KIB": "1024", "FORUM_PASSWORD_HASH_TIME_COST": "1"}
        instances = [so.launch_instance(name, tmp_path, env, so.free_port())
                     for name in ("a", "b")]
        for instance in instances:
            stack.callback(instance.stop)
        for instance in instances:
            so.wait_instance(instance)
        nginx = so.start_nginx(tmp_path, (instances[0].port, instances[1].port))
        stack.callback(nginx.stop)
        deployment = Deployment(app, world, tmp_path, env, *instances, nginx)
        yield deployment
        # An instance restarted by the test replaced b: stop that one too.
        stack.callback(deployment.b.stop)


def _registration(i: int) -> tuple[str, dict]:
    return f"rush-{i}-{uuid.uuid4()}", {
        "first_name": "Ерлан", "last_name": f"Серікұлы {i}", "email": f"rush{i}@example.kz",
        "country": "KZ", "consent": True}


def _scan(port: int, token: str, code: str, gate: str, nonce: str) -> so.Answer:
    return so.request(port, "POST", "/api/v1/checkins",
                      {"code": code, "gate": gate, "nonce": nonce},
                      headers={"Authorization": f"Bearer {token}"})


def _rush(d: Deployment) -> tuple[dict, list, dict]:
    """Both rushes through nginx at once; b is SIGKILLed when a third of the work is done."""
    port, third, lock = d.nginx.port, threading.Event(), threading.Lock()
    scans_total = BADGES * sum(GATES.values())
    done = {"registrations": 0, "scans": 0}

    def finished(kind: str) -> None:
        with lock:
            done[kind] += 1
            if sum(done.values()) == (REGISTRATIONS + scans_total) // 3:
                third.set()

    def register(i: int):
        key, body = _registration(i)
        answer, attempts = so.with_retries(lambda: so.request(
            port, "POST", PATH, body, headers={"Idempotency-Key": key}))
        finished("registrations")
        return key, body, answer, attempts

    def guard(gate: str, token: str):
        answers = []
        for n in random.sample(range(BADGES), BADGES):
            nonce = str(uuid.uuid4())
            answer, attempts = so.with_retries(
                lambda: _scan(port, token, d.world.codes[n], gate, nonce))  # noqa: B023
            finished("scans")
            answers.append((gate, n, nonce, answer, attempts))
        return answers

    guards = [(gate, token) for gate, tokens in d.world.scanners.items() for token in tokens]
    with ThreadPoolExecutor(REGISTRATION_THREADS + len(guards)) as pool:
        scans = [pool.submit(guard, *g) for g in guards]
        registrations = [pool.submit(register, i) for i in range(REGISTRATIONS)]
        assert third.wait(timeout=60), "the rush made no progress"
        killed = d.b.kill_hard()
        at_kill = dict(done)
        # b comes back on its port (as systemd would restart it); nginx tries it again
        # once its fail_timeout has passed.
        d.b = so.launch_instance("b", d.folder, d.env, d.b.port)
        registered = {key: (body, answer, attempts)
                      for key, body, answer, attempts in (f.result(timeout=60)
                                                         for f in registrations)}
        scanned = [row for f in scans for row in f.result(timeout=60)]
    # Both rushes were under way when b died.
    assert 0 < at_kill["registrations"] < REGISTRATIONS - REGISTRATION_THREADS, at_kill
    assert 0 < at_kill["scans"] < scans_total - len(guards), at_kill
    return registered, scanned, {"killed_pids": killed, "done_at_kill": at_kill}


def _check_registrations(d: Deployment, registered: dict) -> None:
    answers = {body["email"]: answer for body, answer, _attempts in registered.values()}
    assert {a.status for a in answers.values()} == {201}, \
        [a for a in answers.values() if a.status != 201][:3]
    with d.app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == SLUG))
        rows = {p.email: p for p in db.session.scalars(select(Participant).where(
            Participant.event_id == event.id, Participant.email.like("rush%")))}
        # Every answered key has its one participant, and no participant lacks an answer.
        assert rows.keys() == answers.keys()
        for email, answer in answers.items():
            assert answer.body["id"] == rows[email].public_id, email
            assert answer.body["status"] == rows[email].status.value, email
        confirmed = db.session.scalar(select(func.count()).select_from(Participant).where(
            Participant.event_id == event.id, Participant.status == Status.CONFIRMED))
        assert confirmed == QUOTA == event.taken
        attendee = db.session.scalar(select(Category).where(
            Category.event_id == event.id, Category.slug == "attendee"))
        assert attendee.taken == QUOTA
        waitlisted = [p for p in rows.values() if p.status is Status.WAITLISTED]
        assert len(waitlisted) == BADGES + REGISTRATIONS - QUOTA
        stored = db.session.scalar(select(func.count()).select_from(IdempotencyRecord).where(
            IdempotencyRecord.scope == f"registration:{event.id}"))
        assert stored == REGISTRATIONS
        db.session.remove()


def _check_scans(d: Deployment, scanned: list) -> None:
    assert {a.status for *_, a, _n in scanned} == {200}
    oks: dict[tuple[str, int], int] = {}
    for gate, n, _nonce, answer, _attempts in scanned:
        assert answer.body["status"] in {"ok", "already_checked_in"}, answer.body
        oks[gate, n] = oks.get((gate, n), 0) + (answer.body["status"] == "ok")
    # One admission per badge and zone, and its answer reached the device that made it.
    assert set(oks.values()) == {1} and len(oks) == BADGES * len(GATES)
    ids = {answer.body["checkin"]["id"] for *_, answer, _n in scanned}
    assert len(ids) == len(scanned)  # every scan recorded once, retried or not
    with d.app.app_context():
        rushed = select(func.count()).select_from(Checkin).where(
            Checkin.device_id != d.world.doomed[0])  # its scans go on meanwhile
        assert db.session.scalar(rushed) == len(scanned)
        assert db.session.scalar(rushed.where(Checkin.outcome == Outcome.OK)) == \
            BADGES * len(GATES)
        assert db.session.scalar(select(func.count()).select_from(ZoneAdmission)) == \
            BADGES * len(GATES)
        db.session.remove()


def _check_replay_across_instances(d: Deployment, registered: dict) -> None:
    # A key first answered through nginx, sent again to each instance directly.
    key, (body, first, _attempts) = next(iter(registered.items()))
    for port in (d.a.port, d.b.port):
        again = so.request(port, "POST", PATH, body, headers={"Idempotency-Key": key})
        assert (again.status, again.body) == (201, first.body)
        assert again.headers.get("idempotent-replayed") == "true"
    # A new key: a's answer is b's answer, and a changed body under it is refused.
    key, body = _registration(REGISTRATIONS)
    on_a = so.request(d.a.port, "POST", PATH, body, headers={"Idempotency-Key": key})
    on_b = so.request(d.b.port, "POST", PATH, body, headers={"Idempotency-Key": key})
    assert on_a.status == on_b.status == 201 and on_a.body == on_b.body
    assert on_a.body["manage_token"] and on_b.headers.get("idempotent-replayed") == "true"
    changed = so.request(d.b.port, "POST", PATH, {**body, "first_name": "Other"},
                         headers={"Idempotency-Key": key})
    assert (changed.status, changed.body["code"]) == (409, "idempotency_key_reused")


def _check_rate_limit_counted_once(d: Deployment) -> None:
    # As nginx would send them: one client address, the requests split over both instances.
    ports = [d.a.port, d.b.port] * (LOGIN_TRIES // 2)
    passed: dict[int, int] = {}
    codes = []
    for i, port in enumerate(ports):
        answer = so.request(port, "POST", "/api/v1/auth/tokens",
                            {"email": f"nobody{i}@example.kz", "password": "not a password"},
                            headers={"X-Forwarded-For": "198.51.100.7"})
        codes.append((answer.status, answer.body.get("code")))
        if answer.status == 401:
            passed[port] = passed.get(port, 0) + 1
    assert codes.count((401, "invalid_credentials")) == LOGIN_LIMIT, codes
    assert codes.count((429, "rate_limited")) == LOGIN_TRIES - LOGIN_LIMIT, codes
    assert passed.keys() == {d.a.port, d.b.port}  # both instances let some through


def _revoke_and_watch(d: Deployment) -> tuple[float, list, threading.Thread]:
    """Revoke the doomed device once both instances cached it; then poll both with it.

    Returns the moment of the revocation's answer and, in a list filled by a background
    thread until CACHE_SECONDS + 2 s later, (seconds after it, instance, status) of each scan.
    """
    _id, public_id, token = d.world.doomed
    code, ports = d.world.codes[0], {"a": d.a.port, "b": d.b.port}
    for _ in range(6):  # new connections: each worker of both instances caches the device
        for port in ports.values():
            assert _scan(port, token, code, "main-entrance", str(uuid.uuid4())).status == 200
    answer = so.request(d.nginx.port, "DELETE",
                        f"/api/v1/events/{SLUG}/gates/main-entrance/devices/{public_id}",
                        headers=d.world.organizer)
    assert answer.status == 204, answer
    revoked_at, seen = time.monotonic(), []

    def watch() -> None:
        while (elapsed := time.monotonic() - revoked_at) < devices.CACHE_SECONDS + 2:
            for name, port in ports.items():
                status = _scan(port, token, code, "main-entrance", str(uuid.uuid4())).status
                seen.append((elapsed, name, status))
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    return revoked_at, seen, watcher


def _check_revocation(seen: list, watcher: threading.Thread) -> dict[str, float]:
    watcher.join(timeout=devices.CACHE_SECONDS + 20)
    assert not watcher.is_alive()
    assert {status for *_, status in seen} <= {200, 401}
    delay = {}
    for name in ("a", "b"):
        mine = [(t, status) for t, n, status in seen if n == name]
        accepted = [t for t, status in mine if status == 200]
        late = [status for t, status in mine if t > devices.CACHE_SECONDS]
        delay[name] = max(accepted, default=0.0)
        assert delay[name] < devices.CACHE_SECONDS, (name, mine)
        assert len(late) >= 3 and set(late) == {401}, (name, mine)
    return delay


def test_two_instances_behind_nginx_lose_and_double_nothing(deployment):
    d, started = deployment, time.monotonic()
    registered, scanned, kill = _rush(d)
    rushed = time.monotonic() - started
    assert len(kill["killed_pids"]) == 3  # the master and its two workers
    so.wait_instance(d.b)
    # The revocation's delay is measured while the other checks run.
    revoked_at, seen, watcher = _revoke_and_watch(d)
    _check_registrations(d, registered)
    _check_scans(d, scanned)
    _check_replay_across_instances(d, registered)
    _check_rate_limit_counted_once(d)
    delay = _check_revocation(seen, watcher)
    retried = sum(attempts > 1 for *_, attempts in registered.values())
    retried += sum(attempts > 1 for *_, attempts in scanned)
    print(f"\nscale-out: rush {rushed:.1f} s, {len(registered)} registrations and "
          f"{len(scanned)} scans, {retried} retried after the kill of {kill['killed_pids']} "
          f"at {kill['done_at_kill']} done; revoked device last accepted "
          f"{delay['a']:.1f} s (a), {delay['b']:.1f} s (b) after its revocation "
          f"(bound: {devices.CACHE_SECONDS:.0f} s); revoked at t={revoked_at - started:.1f} s")
