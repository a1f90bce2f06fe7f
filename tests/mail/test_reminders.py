"""The day-before reminder: only on that day in the event's time zone, once per person."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from forum.extensions import db
from forum.mail import reminders
from forum.mail.models import OutboxMessage, Reminder
from forum.registration import service as registration

from .. import factories
from .conftest import deliver, point_at


def _tomorrows_event(session, clock):
    """An event that begins tomorrow in its own time zone (whatever the suite's date)."""
    zone = ZoneInfo("Asia/Almaty")
    today = clock().astimezone(zone).date()
    event = factories.make_event(session, slug="digital-bridge", starts_on=today + timedelta(1),
                                 ends_on=today + timedelta(2), timezone="Asia/Almaty")
    session.commit()
    return event


def _reminders(session) -> list[str]:
    return list(session.scalars(select(OutboxMessage.to_address).where(
        OutboxMessage.kind == "reminder").order_by(OutboxMessage.id)))


def _command(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["forum", "send-reminders", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_command_waits_for_the_day_before_in_the_events_time_zone(app, session, clock):
    event = _tomorrows_event(session, clock)
    factories.make_participant(session, event, email="a@example.kz")
    session.commit()
    day_before = event.starts_on - timedelta(days=1)
    zone = ZoneInfo(event.timezone)
    clock.set(datetime.combine(day_before - timedelta(days=1), time(23, 30), tzinfo=zone))
    assert "nothing queued" in _command(app, "--event", "digital-bridge")
    assert _reminders(session) == []
    # 00:10 local on the day before: still the previous day in UTC, but due here.
    clock.set(datetime.combine(day_before, time(0, 10), tzinfo=zone))
    assert clock().astimezone(ZoneInfo("UTC")).date() < day_before
    assert "1 reminders queued" in _command(app, "--event", "digital-bridge")
    clock.set(datetime.combine(event.starts_on, time(8, 0), tzinfo=zone))
    assert "nothing queued" in _command(app)
    assert _reminders(session) == ["a@example.kz"]


def test_once_per_person_and_people_confirmed_later_get_theirs_next_run(app, session, clock):
    event = _tomorrows_event(session, clock)
    factories.make_participant(session, event, email="early@example.kz", locale="kk")
    factories.make_participant(session, event, category="press", by_organizer=False,
                               email="pending@press.kz")
    session.commit()
    assert reminders.run(session, event, now=clock()) == 1
    assert reminders.run(session, event, now=clock()) == 0
    late = factories.make_participant(session, event, email="late@example.kz")
    cancelled = factories.make_participant(session, event, email="gone@example.kz")
    registration.cancel(session, cancelled, now=clock(), actor="test")
    session.commit()
    assert "1 reminders queued" in _command(app, "--event", "digital-bridge")
    assert _reminders(session) == ["early@example.kz", late.email]
    text = session.scalar(select(OutboxMessage.body_text).where(
        OutboxMessage.kind == "reminder", OutboxMessage.to_address == "early@example.kz"))
    assert "жеке куәлік немесе төлқұжат" in text and "EXPO Congress Centre" in text
    assert "аккредитация үстелінен" in text


def test_two_runs_at_once_remind_each_person_exactly_once(any_app, clock, monkeypatch):
    monkeypatch.setattr(reminders, "CHUNK", 7)  # several transactions per run, interleaved
    event = _tomorrows_event(db.session, clock)
    for _ in range(30):
        factories.make_participant(db.session, event)
    db.session.commit()
    event_id, model = event.id, type(event)
    db.session.commit()  # the main thread holds no transaction while the runs go
    barrier = threading.Barrier(3)
    counts: list[int] = []
    failures: list[BaseException] = []

    def run():
        with any_app.app_context():
            try:
                barrier.wait()
                found = db.session.get(model, event_id)
                counts.append(reminders.run(db.session, found, now=clock()))
            except BaseException as exc:  # noqa: BLE001 - reported below
                failures.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    assert len(counts) == 3 and sum(counts) == 30
    db.session.expire_all()
    assert len(_reminders(db.session)) == 30 and len(set(_reminders(db.session))) == 30
    assert db.session.scalar(select(func.count()).select_from(Reminder)) == 30


def test_the_reminder_arrives_in_kazakh_with_the_badge(app, session, clock, smtp_server):
    point_at(app, smtp_server.port)
    event = _tomorrows_event(session, clock)
    factories.make_participant(session, event, email="kk@example.kz", locale="kk")
    session.commit()
    deliver(clock)  # the confirmation
    reminders.run(session, event, now=clock())
    assert deliver(clock).sent == 1
    mail = smtp_server.sink.received[-1]
    assert mail["Content-Language"] == "kk" and "өзіңізбен не алу керек" in mail["Subject"]
    names = {part.get_filename() for part in mail.iter_attachments()}
    assert "badge.pdf" in names
