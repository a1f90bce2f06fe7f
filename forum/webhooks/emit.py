"""What partners are told: one outbox row per subscribed endpoint, written in the
transaction of the change (a rolled-back registration tells nobody)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from forum.db import opaque_id
from forum.mail import outbox
from forum.registration.models import Participant
from forum.registration.notices import Notice
from forum.webhooks.models import DELIVERY_KIND, WebhookEndpoint

_NOTICE_TYPES = {
    Notice.RECEIVED: "registration.created", Notice.CONFIRMED: "registration.created",
    Notice.WAITLISTED: "registration.created", Notice.PROMOTED: "registration.changed",
    Notice.APPROVED: "registration.changed", Notice.REJECTED: "registration.changed",
    Notice.BADGE_REISSUED: "registration.changed", Notice.CANCELLED: "registration.cancelled",
}
_SUBSCRIBED = select(WebhookEndpoint.id, WebhookEndpoint.events)


def subscribers(session: Session, event_id: int, event_type: str) -> tuple[int, ...]:
    """The active endpoints of an event that asked for ``event_type``."""
    rows = session.execute(_SUBSCRIBED.where(WebhookEndpoint.event_id == event_id,
                                             WebhookEndpoint.active.is_(True))
                           .order_by(WebhookEndpoint.id))
    return tuple(endpoint_id for endpoint_id, events in rows if event_type in events)


def enqueue(session: Session, endpoint_ids: tuple[int, ...], *, event_id: int, event_type: str,
            data: dict[str, str], now: datetime) -> None:
    """A thin payload (ids and type, no personal data) for each endpoint."""
    for endpoint_id in endpoint_ids:
        delivery_id = opaque_id()
        body = json.dumps({"id": delivery_id, "type": event_type,
                           "created_at": now.isoformat().replace("+00:00", "Z"),
                           "data": data}, separators=(",", ":"))
        outbox.enqueue(session, to="", kind=DELIVERY_KIND, now=now, event_id=event_id,
                       subject=event_type, body_text=body, public_id=delivery_id,
                       webhook_id=endpoint_id)


def on_notice(session: Session, participant: Participant, notice: Notice, *, now: datetime,
              **_data: object) -> None:
    """forum.registration.notices hook: registration created, changed or cancelled."""
    event_type = _NOTICE_TYPES.get(notice)
    if event_type is None:
        return
    endpoint_ids = subscribers(session, participant.event_id, event_type)
    if endpoint_ids:
        enqueue(session, endpoint_ids, event_id=participant.event_id, event_type=event_type,
                data={"event": participant.event.slug, "registration": participant.public_id},
                now=now)
