"""Two doors, one badge, the same instant: real processes on a real database, one admission."""

from __future__ import annotations

import multiprocessing as mp
import uuid

import pytest
from sqlalchemy import func, select

from forum.badges import service as badges
from forum.checkin import devices
from forum.checkin.demo import setup_demo_zones
from forum.checkin.models import Checkin, Outcome, ZoneAdmission
from forum.extensions import db
from tests import factories
from tests.conftest import make_app

WORKERS = 4
BADGES = 5


def _door(url: str, token: str, codes: list[str], barrier, results) -> None:
    client = make_app(url).test_client()
    headers = {"Authorization": f"Bearer {token}"}
    # Warm up the device cache so the race below is only about the badge.
    client.get("/api/v1/scanner/bundle", headers=headers)
    answers = []
    for code in codes:
        barrier.wait(timeout=60)
        r = client.post("/api/v1/checkins", headers=headers, json={
            "code": code, "gate": "main-entrance", "nonce": str(uuid.uuid4())})
        answers.append((r.status_code, (r.get_json() or {}).get("status")))
    results.put(answers)


def _setup(url: str) -> tuple[list[str], list[str]]:
    app = make_app(url)
    with app.app_context():
        db.create_all()
        event = factories.make_event(db.session, slug="digital-bridge")
        gates = setup_demo_zones(db.session, event, now=factories.NOW)
        tokens = [devices.issue(db.session, gate=gates["main-entrance"], name=f"lane {i}",
                                now=factories.NOW, actor="test")[1] for i in range(WORKERS)]
        codes = []
        for _ in range(BADGES):
            participant = factories.make_participant(db.session, event)
            codes.append(badges.badge_token(
                db.session, badges.ensure_badge(db.session, participant, now=factories.NOW)))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return tokens, codes


@pytest.mark.slow
@pytest.mark.postgres
def test_same_badge_at_four_doors_at_once_is_admitted_once(db_url):
    tokens, codes = _setup(db_url)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    procs = [ctx.Process(target=_door, args=(db_url, token, codes, barrier, results))
             for token in tokens]
    for p in procs:
        p.start()
    answers = [results.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0

    for i in range(BADGES):
        per_badge = [a[i] for a in answers]
        assert {code for code, _ in per_badge} == {200}
        statuses = sorted(status for _, status in per_badge)
        assert statuses == ["already_checked_in"] * (WORKERS - 1) + ["ok"]

    app = make_app(db_url)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ZoneAdmission)) == BADGES
        assert db.session.scalar(select(func.count()).select_from(Checkin)
                                 .where(Checkin.outcome == Outcome.OK)) == BADGES
        assert db.session.scalar(select(func.count()).select_from(Checkin)) == BADGES * WORKERS
        db.session.remove()
        db.engine.dispose()
