"""Two organizers saving at once never both book one room slot or one speaker: separate
processes against one real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing as mp
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.accounts.models import Role
from forum.extensions import db
from forum.program.models import ProgramSession
from tests import factories
from tests.auth import staff_headers
from tests.conftest import make_app

WORKERS = 6


def _save(url: str, path: str, headers: dict, body: dict, barrier, results) -> None:
    app = make_app(url)
    client = app.test_client()
    # Warm up (connection, first-request work) so the saves really start together.
    assert client.get(path, headers=headers).status_code == 200
    barrier.wait(timeout=60)
    r = client.post(path, json=body, headers=headers)
    results.put((r.status_code, (r.get_json() or {}).get("code")))


def _race(url: str, path: str, headers: dict, bodies: list[dict]) -> list[tuple]:
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(len(bodies)), ctx.Queue()
    procs = [ctx.Process(target=_save, args=(url, path, headers, body, barrier, results))
             for body in bodies]
    for p in procs:
        p.start()
    out = [results.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return out


def _setup(url: str, rooms: int):
    app = make_app(url)
    with app.app_context():
        db.create_all()
        event = factories.make_event(db.session, slug="race")
        slugs = [factories.make_room(db.session, event).slug for _ in range(rooms)]
        speaker = factories.make_speaker(db.session, event).public_id
        db.session.commit()
        headers = staff_headers(db.session, Role.PROGRAM, event=event)
        starts = factories.local(event, 0, "10:00")
        db.session.remove()
        db.engine.dispose()
    return slugs, speaker, headers, starts


def _body(room: str, starts, minutes: int, speakers=()) -> dict:
    return {"title": {"en": "Race"}, "kind": "keynote", "room": room,
            "language": "en", "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(minutes=minutes)).isoformat(),
            "speakers": [{"speaker": s, "role": "speaker"} for s in speakers]}


def _count(url: str) -> int:
    app = make_app(url)
    with app.app_context():
        found = db.session.scalar(select(func.count()).select_from(ProgramSession))
        db.session.remove()
        db.engine.dispose()
    return found


@pytest.mark.slow
@pytest.mark.postgres
def test_one_room_slot_is_booked_once(db_url):
    (room,), _speaker, headers, starts = _setup(db_url, rooms=1)
    # Overlapping, not identical, slots: the rule is the overlap, not an equal start.
    bodies = [_body(room, starts + timedelta(minutes=5 * n), 60) for n in range(WORKERS)]
    results = _race(db_url, "/api/v1/events/race/sessions", headers, bodies)
    assert sorted(results) == [(201, None)] + [(409, "room_double_booked")] * (WORKERS - 1)
    assert _count(db_url) == 1


@pytest.mark.slow
@pytest.mark.postgres
def test_one_speaker_is_booked_once_across_rooms(db_url):
    rooms, speaker, headers, starts = _setup(db_url, rooms=WORKERS)
    bodies = [_body(room, starts, 45, speakers=[speaker]) for room in rooms]
    results = _race(db_url, "/api/v1/events/race/sessions", headers, bodies)
    assert sorted(results) == [(201, None)] + [(409, "speaker_double_booked")] * (WORKERS - 1)
    assert _count(db_url) == 1
