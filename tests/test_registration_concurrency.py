"""Quotas and idempotency under real concurrency: separate processes, one real database."""

from __future__ import annotations

import multiprocessing as mp

import pytest
from sqlalchemy import func, select

from forum.events.models import Category
from forum.extensions import db
from forum.idempotency import IdempotencyRecord
from forum.registration.models import Participant, Status
from tests import factories
from tests.conftest import make_app

WORKERS = 8


def _register_many(url: str, slug: str, emails: list[str], barrier, results, key=None) -> None:
    app = make_app(url)
    client = app.test_client()
    statuses = []
    barrier.wait(timeout=60)
    for email in emails:
        headers = {"Idempotency-Key": key} if key else {}
        body = {"first_name": "Ерлан", "last_name": "Серікұлы", "email": email,
                "country": "KZ", "consent": True}
        r = client.post(f"/api/v1/events/{slug}/registrations", json=body, headers=headers)
        answer = r.get_json() or {}
        # A 201 says the registration's status; a problem says its code.
        outcome = answer.get("status") if r.status_code == 201 else answer.get("code")
        statuses.append((r.status_code, outcome, answer.get("id")))
    results.put(statuses)


def _run(url: str, jobs: list[tuple]) -> list[tuple]:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(jobs))
    results = ctx.Queue()
    procs = [ctx.Process(target=_register_many, args=(url, *job[:2], barrier, results, *job[2:]))
             for job in jobs]
    for p in procs:
        p.start()
    out: list[tuple] = []
    for _ in procs:
        out.extend(results.get(timeout=240))
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return out


def _setup(url: str, **event_overrides) -> str:
    app = make_app(url)
    with app.app_context():
        db.create_all()
        event = factories.make_event(db.session, slug="rush", **event_overrides)
        db.session.commit()
        slug = event.slug
        db.session.remove()
        db.engine.dispose()
    return slug


@pytest.mark.slow
@pytest.mark.postgres
def test_quota_holds_under_200_concurrent_registrations(db_url):
    slug = _setup(db_url, category_quotas={"attendee": 50})
    emails = [f"rush{i}@example.kz" for i in range(200)]
    jobs = [(slug, emails[i::WORKERS]) for i in range(WORKERS)]
    results = _run(db_url, jobs)

    assert [code for code, *_ in results] == [201] * 200
    statuses = [status for _, status, _ in results]
    assert statuses.count("confirmed") == 50
    assert statuses.count("waitlisted") == 150

    app = make_app(db_url)
    with app.app_context():
        counts = dict(db.session.execute(
            select(Participant.status, func.count()).group_by(Participant.status)).all())
        assert counts == {Status.CONFIRMED: 50, Status.WAITLISTED: 150}
        attendee = db.session.scalar(select(Category).where(Category.slug == "attendee"))
        assert attendee.taken == 50
        db.session.remove()
        db.engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_concurrent_retries_with_one_idempotency_key_make_one_record(db_url):
    slug = _setup(db_url)
    # 20 retries of the same request, from 10 processes at once.
    jobs = [(slug, ["same@example.kz"] * 2, "key-123") for _ in range(10)]
    results = _run(db_url, jobs)

    assert {code for code, *_ in results} == {201}
    assert len({pid for *_, pid in results}) == 1

    app = make_app(db_url)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 1
        assert db.session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 1
        db.session.remove()
        db.engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_same_email_at_once_registers_once_and_others_hear_already_registered(db_url):
    slug = _setup(db_url)
    # No Idempotency-Key: ten different devices of one person racing; the unique constraint
    # is the last guard and must answer with the same code as the service's own check.
    jobs = [(slug, ["twin@example.kz"]) for _ in range(10)]
    results = _run(db_url, jobs)

    assert sorted(code for code, *_ in results) == [201] + [409] * 9
    assert {status for code, status, _ in results if code == 409} == {"already_registered"}
