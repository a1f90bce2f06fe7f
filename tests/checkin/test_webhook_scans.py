"""Check-ins told to webhooks: the scan, the hottest path, runs no extra statement for an
event without a ``checkin.created`` subscriber, and one INSERT for each subscriber."""

from __future__ import annotations

import json
from contextlib import contextmanager

from sqlalchemy import event as sa_event
from sqlalchemy import select

from forum.extensions import db
from forum.mail.models import OutboxMessage
from forum.webhooks.models import WebhookEndpoint

from .conftest import scan


@contextmanager
def _statements():
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)


def _one_scan(client, token, badge_code) -> list[str]:
    """The statements of one admitted scan by a device whose context is cached."""
    _p, code = badge_code()
    with _statements() as seen:
        answer = scan(client, token, code)
    assert answer.status_code == 200 and answer.get_json()["status"] == "ok"
    return seen


def _hook(client, event, organizer, events):
    answer = client.post(f"/api/v1/events/{event.slug}/webhooks", headers=organizer,
                         json={"url": "http://127.0.0.1:9/hooks", "events": events})
    assert answer.status_code == 201


def test_a_scan_runs_no_more_statements_without_a_checkin_subscriber(
        app, client, session, event, scanner, badge_code, organizer):
    app.config["FORUM_WEBHOOK_ALLOW_PRIVATE"] = True
    token = scanner()
    _one_scan(client, token, badge_code)  # the device's context is loaded and cached
    before = _one_scan(client, token, badge_code)

    _hook(client, event, organizer, ["registration.created", "registration.cancelled"])
    _one_scan(client, token, badge_code)  # the change dropped the cached context
    after = _one_scan(client, token, badge_code)
    assert len(after) == len(before)
    assert not any("webhook" in s for s in after)

    _hook(client, event, organizer, ["checkin.created"])
    _one_scan(client, token, badge_code)
    subscribed = _one_scan(client, token, badge_code)
    assert len(subscribed) == len(before) + 1  # one outbox INSERT, in the scan's transaction
    assert sum("outbox_message" in s for s in subscribed) == 1


def test_an_admitted_scan_writes_a_thin_checkin_delivery(app, client, session, event, scanner,
                                                         badge_code, organizer):
    app.config["FORUM_WEBHOOK_ALLOW_PRIVATE"] = True
    _hook(client, event, organizer, ["checkin.created"])
    token = scanner()
    participant, code = badge_code()
    admitted = scan(client, token, code).get_json()
    assert scan(client, token, code).get_json()["status"] == "already_checked_in"
    rows = list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.webhook_id == session.scalar(select(WebhookEndpoint.id)))))
    assert len(rows) == 1  # the refused second scan is no check-in
    payload = json.loads(rows[0].body_text)
    assert payload["type"] == "checkin.created" and payload["id"] == rows[0].public_id
    assert payload["data"] == {"event": event.slug, "registration": participant.public_id,
                               "checkin": admitted["checkin"]["id"], "direction": "entry"}
