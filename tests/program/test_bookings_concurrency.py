"""Workshop seats under real concurrency: separate processes, one real database (SQLite and
PostgreSQL): never more bookings than seats, the counter equal to the booked rows, and
cancellations at once each promote a different waitlisted person."""

from __future__ import annotations

import multiprocessing as mp

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.program.models import BookingStatus, SessionBooking, SessionKind, SessionSeats
from tests import factories
from tests.conftest import make_app

WORKERS = 4
PER_WORKER = 8
SEATS = 10


def _client_run(url: str, method: str, path_of, tokens: list[str], barrier, results) -> None:
    client = make_app(url).test_client()
    answers = []
    barrier.wait(timeout=60)
    for token in tokens:
        headers = {"Authorization": f"Bearer {token}"}
        path, body = path_of
        r = client.open(path, method=method, json=body, headers=headers)
        answer = r.get_json() or {}
        answers.append((token, r.status_code, answer.get("status") or answer.get("code")))
    results.put(answers)


def _run(url: str, method: str, path_of, groups: list[list[str]]) -> list[tuple]:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(groups))
    results = ctx.Queue()
    procs = [ctx.Process(target=_client_run, args=(url, method, path_of, group, barrier,
                                                   results)) for group in groups]
    for p in procs:
        p.start()
    out: list[tuple] = []
    for _ in procs:
        out.extend(results.get(timeout=240))
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return out


def _setup(url: str) -> tuple[str, list[str]]:
    app = make_app(url)
    with app.app_context():
        db.create_all()
        event = factories.make_event(db.session, slug="rush")
        item = factories.make_session(db.session, event, kind=SessionKind.WORKSHOP,
                                      bookable=True, capacity=SEATS)
        factories.publish(db.session, event)
        tokens = [factories.make_registrant(db.session, event)[1]
                  for _ in range(WORKERS * PER_WORKER)]
        db.session.commit()
        public_id = item.public_id
        db.session.remove()
        db.engine.dispose()
    return public_id, tokens


def _state(url: str) -> tuple[dict, int]:
    app = make_app(url)
    with app.app_context():
        counts = dict(db.session.execute(
            select(SessionBooking.status, func.count()).group_by(SessionBooking.status)).all())
        taken = db.session.scalar(select(SessionSeats.taken))
        db.session.remove()
        db.engine.dispose()
    return counts, taken


@pytest.mark.slow
def test_racing_for_ten_seats_books_exactly_ten_and_promotions_stay_distinct(db_url):
    public_id, tokens = _setup(db_url)
    book = ("/api/v1/registrations/me/bookings", {"session": public_id})
    results = _run(db_url, "POST", book, [tokens[i::WORKERS] for i in range(WORKERS)])

    assert {code for _, code, _ in results} == {201}
    statuses = [status for *_, status in results]
    assert statuses.count("booked") == SEATS
    assert statuses.count("waitlisted") == WORKERS * PER_WORKER - SEATS
    counts, taken = _state(db_url)
    assert counts == {BookingStatus.BOOKED: SEATS,
                      BookingStatus.WAITLISTED: WORKERS * PER_WORKER - SEATS}
    assert taken == SEATS

    # Eight seat holders give up at once, from four processes: eight different people
    # move up from the waitlist, and the counter still equals the booked rows.
    leaving = [token for token, _, status in results if status == "booked"][:8]
    cancel = (f"/api/v1/registrations/me/bookings/{public_id}", None)
    gone = _run(db_url, "DELETE", cancel, [leaving[i::WORKERS] for i in range(WORKERS)])
    assert {code for _, code, _ in gone} == {200}
    counts, taken = _state(db_url)
    assert counts == {BookingStatus.BOOKED: SEATS,
                      BookingStatus.WAITLISTED: WORKERS * PER_WORKER - SEATS - 8}
    assert taken == SEATS
