"""The outbox and its worker against a real SMTP server, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.mail import outbox, worker
from forum.mail.models import MessageStatus, OutboxMessage
from forum.registration import service as registration

from .. import factories
from .conftest import SmtpServer, deliver, free_port, point_at


def _messages():
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.fixture
def event(any_app):
    event = factories.make_event(db.session, slug="digital-bridge")
    db.session.commit()
    return event


def test_a_rolled_back_registration_sends_nothing_and_a_committed_one_sends(
        any_app, event, smtp_server, clock):
    point_at(any_app, smtp_server.port)
    registration.register(db.session, event=event, data=factories.registration_data(),
                          now=clock())
    assert len(_messages()) == 1  # written in the registration's own transaction
    db.session.rollback()
    assert _messages() == []
    assert deliver(clock).sent == 0 and smtp_server.sink.received == []

    participant, _ = registration.register(db.session, event=event,
                                           data=factories.registration_data(), now=clock())
    db.session.commit()
    assert deliver(clock).sent == 1
    [received] = smtp_server.sink.received
    assert received["To"] == participant.email
    assert _messages()[0].status is MessageStatus.SENT
    assert _messages()[0].link_sealed is None  # the manage link is not kept after the send


def test_smtp_down_backs_off_and_delivers_once_it_is_back(any_app, event, clock, smtp_port):
    point_at(any_app, smtp_port)  # nothing listens there yet
    registration.register(db.session, event=event, data=factories.registration_data(),
                          now=clock())
    db.session.commit()
    start = clock()

    assert deliver(clock).failed == 1
    [message] = _messages()
    assert message.status is MessageStatus.PENDING and message.attempts == 1
    assert message.next_attempt_at == start + timedelta(minutes=1)
    assert deliver(clock).failed == 0  # not due before its backoff
    clock.advance(minutes=1)
    assert deliver(clock).failed == 1
    db.session.expire_all()
    assert _messages()[0].next_attempt_at == clock() + timedelta(minutes=2)  # doubled

    server = SmtpServer(smtp_port)
    server.start()
    try:
        clock.advance(minutes=2)
        assert deliver(clock).sent == 1
        assert deliver(clock).sent == 0
        assert len(server.sink.received) == 1
    finally:
        server.stop()
    db.session.expire_all()
    assert _messages()[0].status is MessageStatus.SENT and _messages()[0].attempts == 3


def test_a_crashed_workers_claim_is_taken_again_after_its_lease(
        any_app, event, smtp_server, clock):
    point_at(any_app, smtp_server.port)
    registration.register(db.session, event=event, data=factories.registration_data(),
                          now=clock())
    db.session.commit()
    assert outbox.claim(db.session, now=clock()) is not None  # then the worker "dies"
    db.session.commit()
    assert deliver(clock).sent == 0
    clock.advance(seconds=outbox.LEASE.total_seconds())
    assert deliver(clock).sent == 1
    assert len(smtp_server.sink.received) == 1


def test_a_message_refused_every_time_becomes_failed(any_app, event, smtp_server, clock):
    point_at(any_app, smtp_server.port, FORUM_MAIL_MAX_ATTEMPTS=3)
    smtp_server.sink.reply = "451 4.3.0 Try again later"
    registration.register(db.session, event=event, data=factories.registration_data(),
                          now=clock())
    db.session.commit()
    for attempt in range(1, 4):
        assert deliver(clock).failed == 1
        clock.advance(seconds=outbox.backoff(attempt).total_seconds())
    db.session.expire_all()
    [message] = _messages()
    assert message.status is MessageStatus.FAILED and message.attempts == 3
    assert "451" in message.last_error
    assert deliver(clock).failed == 0  # failed is kept, never retried on its own
    assert smtp_server.sink.received == []


def test_two_workers_at_once_never_send_a_message_twice(any_app, event, smtp_server, clock):
    point_at(any_app, smtp_server.port)
    for _ in range(24):
        registration.register(db.session, event=event, data=factories.registration_data(),
                              now=clock())
    db.session.commit()
    outcomes: list[worker.Outcome] = []
    barrier = threading.Barrier(3)

    def work():
        with any_app.app_context():
            barrier.wait()
            outcomes.append(deliver(clock))
            db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    ids = [m["Message-ID"] for m in smtp_server.sink.received]
    assert len(ids) == 24 and len(set(ids)) == 24
    assert sum(o.sent for o in outcomes) == 24 and all(not o.errors for o in outcomes)
    assert db.session.scalar(select(func.count()).where(
        OutboxMessage.status == MessageStatus.SENT)) == 24


def test_without_an_smtp_host_messages_wait_in_the_outbox(any_app, event, clock):
    any_app.config["FORUM_SMTP_HOST"] = ""
    registration.register(db.session, event=event, data=factories.registration_data(),
                          now=clock())
    db.session.commit()
    assert deliver(clock).sent == 0
    [message] = _messages()
    assert message.status is MessageStatus.PENDING and message.attempts == 0
    assert message.body_text


def test_sent_bodies_are_emptied_after_the_keeping_days(any_app, event, smtp_server, clock):
    point_at(any_app, smtp_server.port, FORUM_MAIL_KEEP_DAYS=14)
    registration.register(db.session, event=event, data=factories.registration_data(),
                          now=clock())
    db.session.commit()
    deliver(clock)
    assert outbox.purge_bodies(db.session, now=clock() + timedelta(days=13),
                               keep=timedelta(days=14)) == 0
    clock.advance(days=14)
    registration.register(db.session, event=event, data=factories.registration_data(),
                          now=clock(), by_organizer=True)
    db.session.commit()
    deliver(clock)  # a running worker purges as it goes
    db.session.expire_all()
    first, second = _messages()
    assert first.body_text == "" and first.body_html == "" and first.purged_at == clock()
    assert second.body_text and second.purged_at is None


def test_the_backoff_doubles_up_to_its_cap():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert outbox.backoff(40) == outbox.BACKOFF_CAP


def test_free_port_is_not_listening():
    import socket

    with socket.socket() as sock, pytest.raises(OSError):
        sock.settimeout(1)
        sock.connect(("127.0.0.1", free_port()))


def test_an_erased_persons_mail_keeps_no_address_once_sent(any_app, event, smtp_server, clock):
    point_at(any_app, smtp_server.port)
    participant, _ = registration.register(db.session, event=event,
                                           data=factories.registration_data(), now=clock())
    db.session.commit()
    deliver(clock)
    registration.cancel(db.session, participant, now=clock(), erase=True)
    db.session.commit()
    assert outbox.forget_erased(db.session, now=clock()) == 1  # the sent confirmation
    db.session.commit()
    pending = _messages()[1]
    assert pending.kind == "cancelled" and pending.to_address  # still to be told
    deliver(clock)
    assert smtp_server.sink.received[-1]["Subject"].endswith("is cancelled")
    assert outbox.forget_erased(db.session, now=clock()) == 1  # the worker's next pass
    db.session.commit()
    db.session.expire_all()
    assert all(m.to_address == "" and m.body_text == "" for m in _messages())
