"""Webhook deliveries through the outbox to a real receiver, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

from sqlalchemy import select

from forum.extensions import db
from forum.mail import outbox
from forum.mail.models import MessageStatus, OutboxMessage
from forum.registration import service as registration
from forum.webhooks.models import WebhookEndpoint

from .. import factories
from .conftest import deliver, register_webhook

CREATED = ["registration.created"]


def _deliveries() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.webhook_id.is_not(None)).order_by(OutboxMessage.id)))


def _register(event, clock, **data):
    participant, _ = registration.register(db.session, event=event,
                                           data=factories.registration_data(**data),
                                           now=clock())
    db.session.commit()
    return participant


def test_a_delivery_is_signed_and_thin_and_the_receiver_verifies_it(
        hooks_app, hook_event, organizer_of, receiver, clock):
    hook = register_webhook(hooks_app, organizer_of(hook_event), hook_event, receiver.url,
                            CREATED)
    participant = _register(hook_event, clock)
    outcome = deliver(clock)
    assert outcome.sent == 1 and not outcome.errors
    [got] = receiver.received
    assert receiver.verifies(got, hook["secret"], now=clock().timestamp())
    assert not receiver.verifies(got, "whsec_another", now=clock().timestamp())
    # A replayed request loses its freshness: a receiver refuses it later.
    assert not receiver.verifies(got, hook["secret"], now=clock().timestamp() + 3600)
    payload = got.payload
    assert set(payload) == {"id", "type", "created_at", "data"}
    assert payload["type"] == "registration.created"
    assert payload["data"] == {"event": "digital-bridge", "registration": participant.public_id}
    assert got.headers["Forum-Delivery"] == payload["id"]
    assert participant.email.encode() not in got.body and participant.last_name.encode() \
        not in got.body
    assert _deliveries()[0].status is MessageStatus.SENT
    assert deliver(clock).sent == 0  # delivered once


def test_a_500_is_retried_after_the_backoff_and_then_delivered_once(
        hooks_app, hook_event, organizer_of, receiver, clock):
    register_webhook(hooks_app, organizer_of(hook_event), hook_event, receiver.url, CREATED)
    _register(hook_event, clock)
    receiver.replies = [500]
    start = clock()
    outcome = deliver(clock)
    assert outcome.failed == 1 and outcome.errors == ["HTTP 500"]
    [row] = _deliveries()
    assert row.status is MessageStatus.PENDING and row.attempts == 1
    assert row.next_attempt_at == start + outbox.backoff(1)
    assert deliver(clock).failed == 0 and len(receiver.received) == 1  # not yet due
    clock.advance(minutes=1)
    assert deliver(clock).sent == 1
    assert deliver(clock).sent == 0
    first, second = receiver.received
    assert first.payload == second.payload  # the same delivery id: receivers can dedupe
    [row] = _deliveries()
    assert row.status is MessageStatus.SENT and row.attempts == 2
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert endpoint.last_status == 200 and endpoint.last_error == ""


def test_429_is_retried_and_a_4xx_fails_at_once(hooks_app, hook_event, organizer_of, receiver,
                                                clock):
    register_webhook(hooks_app, organizer_of(hook_event), hook_event, receiver.url, CREATED)
    _register(hook_event, clock)
    _register(hook_event, clock)
    receiver.replies = [429, 400]
    assert deliver(clock).failed == 2
    retried, refused = _deliveries()
    assert retried.status is MessageStatus.PENDING and refused.status is MessageStatus.FAILED
    assert refused.last_error == "HTTP 400"


def test_a_delivery_failing_every_time_is_marked_failed(hooks_app, hook_event, organizer_of,
                                                        receiver, clock):
    hooks_app.config["FORUM_MAIL_MAX_ATTEMPTS"] = 3
    register_webhook(hooks_app, organizer_of(hook_event), hook_event, receiver.url, CREATED)
    _register(hook_event, clock)
    receiver.replies = [503] * 5
    for attempt in range(1, 4):
        assert deliver(clock).failed == 1
        clock.advance(seconds=outbox.backoff(attempt).total_seconds())
    [row] = _deliveries()
    assert row.status is MessageStatus.FAILED and row.attempts == 3
    assert deliver(clock).failed == 0 and len(receiver.received) == 3


def test_a_410_disables_the_endpoint_and_stops_its_waiting_deliveries(
        hooks_app, hook_event, organizer_of, receiver, clock):
    headers = organizer_of(hook_event)
    hook = register_webhook(hooks_app, headers, hook_event, receiver.url, CREATED)
    for _ in range(3):
        _register(hook_event, clock)
    receiver.replies = [410]
    outcome = deliver(clock)
    assert outcome.failed == 1 and len(receiver.received) == 1
    statuses = [row.status for row in _deliveries()]
    assert statuses == [MessageStatus.FAILED, MessageStatus.VOID, MessageStatus.VOID]
    _register(hook_event, clock)  # a disabled endpoint is told nothing new
    assert len(_deliveries()) == 3
    clock.advance(minutes=30)  # well past any backoff (the organizer's token lasts an hour)
    assert deliver(clock).sent == 0 and len(receiver.received) == 1
    shown = hooks_app.test_client().get(
        f"/api/v1/events/{hook_event.slug}/webhooks/{hook['id']}", headers=headers).get_json()
    assert shown["status"] == "disabled" and shown["last_status"] == 410
    assert "410" in shown["disabled_reason"] and len(shown["deliveries"]) == 3
    # Switched on again by the organizer, it gets the next registration.
    on = hooks_app.test_client().patch(
        f"/api/v1/events/{hook_event.slug}/webhooks/{hook['id']}", headers=headers,
        json={"active": True})
    assert on.status_code == 200 and on.get_json()["status"] == "active"
    _register(hook_event, clock)
    assert deliver(clock).sent == 1 and len(receiver.received) == 2


def test_a_rolled_back_registration_delivers_nothing(hooks_app, hook_event, organizer_of,
                                                     receiver, clock):
    register_webhook(hooks_app, organizer_of(hook_event), hook_event, receiver.url, CREATED)
    registration.register(db.session, event=hook_event, data=factories.registration_data(),
                          now=clock())
    assert len(_deliveries()) == 1  # written in the registration's own transaction
    db.session.rollback()
    assert _deliveries() == []
    assert deliver(clock).sent == 0 and receiver.received == []


def test_only_the_subscribed_types_are_delivered(hooks_app, hook_event, organizer_of, receiver,
                                                 clock):
    register_webhook(hooks_app, organizer_of(hook_event), hook_event, receiver.url,
                     ["registration.cancelled"])
    participant = _register(hook_event, clock)
    assert _deliveries() == []
    registration.cancel(db.session, participant, now=clock(), actor="test")
    db.session.commit()
    assert deliver(clock).sent == 1
    [got] = receiver.received
    assert got.payload["type"] == "registration.cancelled"
    assert got.headers["Forum-Event"] == "registration.cancelled"


def test_two_workers_at_once_never_deliver_a_row_twice(hooks_app, hook_event, organizer_of,
                                                       receiver, clock):
    register_webhook(hooks_app, organizer_of(hook_event), hook_event, receiver.url, CREATED)
    for _ in range(24):
        registration.register(db.session, event=hook_event,
                              data=factories.registration_data(), now=clock())
    db.session.commit()
    outcomes = []
    barrier = threading.Barrier(3)

    def work():
        with hooks_app.app_context():
            barrier.wait()
            outcomes.append(deliver(clock))
            db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    ids = [item.payload["id"] for item in receiver.received]
    assert len(ids) == 24 and len(set(ids)) == 24
    assert sum(o.sent for o in outcomes) == 24 and all(not o.errors for o in outcomes)
    assert {row.status for row in _deliveries()} == {MessageStatus.SENT}


def test_a_rotated_secret_signs_the_waiting_deliveries(hooks_app, hook_event, organizer_of,
                                                       receiver, clock):
    headers = organizer_of(hook_event)
    hook = register_webhook(hooks_app, headers, hook_event, receiver.url, CREATED)
    _register(hook_event, clock)
    rotated = hooks_app.test_client().post(
        f"/api/v1/events/{hook_event.slug}/webhooks/{hook['id']}/rotate-secret",
        headers=headers)
    assert rotated.status_code == 200
    new = rotated.get_json()["secret"]
    assert new != hook["secret"]
    assert deliver(clock).sent == 1
    [got] = receiver.received
    assert receiver.verifies(got, new, now=clock().timestamp())
    assert not receiver.verifies(got, hook["secret"], now=clock().timestamp())


def test_the_mail_outbox_view_leaves_webhook_deliveries_out(hooks_app, hook_event,
                                                            organizer_of, receiver, clock):
    register_webhook(hooks_app, organizer_of(hook_event), hook_event, receiver.url, CREATED)
    _register(hook_event, clock)
    page = outbox.listing(db.session, hook_event.id, status=None, page=1, per_page=50)
    assert page.items and all(m.webhook_id is None for m in page.items)
    assert sum(page.counts.values()) == page.total
