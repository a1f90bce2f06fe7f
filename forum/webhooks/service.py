"""Webhook endpoints: register, change, rotate the secret, delete; each change audited."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from forum import sealing
from forum.audit import service as audit
from forum.checkin import devices
from forum.db import opaque_id
from forum.errors import NotFound, ValidationFailed
from forum.events.models import Event
from forum.mail.models import MessageStatus, OutboxMessage
from forum.webhooks import urls
from forum.webhooks.errors import URL_REFUSED, WEBHOOK_NOT_FOUND
from forum.webhooks.models import DELIVERY_KIND, WebhookEndpoint

_PURPOSE = b"forum webhook secrets v1"
RECENT = 20  # deliveries shown with an endpoint


def _aad(endpoint: WebhookEndpoint) -> bytes:
    return f"webhook:{endpoint.public_id}".encode()


def secret_of(endpoint: WebhookEndpoint, *, kek: str) -> str:
    return sealing.unseal(bytes(endpoint.secret_sealed), purpose=_PURPOSE, aad=_aad(endpoint),
                          secret=kek).decode()


def _new_secret(endpoint: WebhookEndpoint, *, kek: str) -> str:
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint.secret_sealed = sealing.seal(secret.encode(), purpose=_PURPOSE, aad=_aad(endpoint),
                                          secret=kek)
    return secret


def _check_url(url: str, *, https_only: bool, allow_private: bool) -> str:
    url = url.strip()
    try:
        urls.check(url, https_only=https_only, allow_private=allow_private)
    except urls.UrlRefused as exc:
        raise ValidationFailed("The webhook address is refused.", code=URL_REFUSED,
                               errors={"url": [str(exc)]}) from exc
    return url


def _changed(session: Session) -> None:
    """Scans learn the subscriptions with their cached device context: this process forgets
    it now, other workers within devices.CACHE_SECONDS."""
    devices.clear_cache()


def create(session: Session, event: Event, *, url: str, events: list[str], kek: str,
           https_only: bool, allow_private: bool, now: datetime,
           actor: str) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (returned once, stored sealed)."""
    endpoint = WebhookEndpoint(
        public_id=opaque_id(), event_id=event.id,
        url=_check_url(url, https_only=https_only, allow_private=allow_private),
        events=sorted(set(events)), active=True, disabled_reason="", last_error="",
        created_at=now, created_by=actor, updated_at=now)
    secret = _new_secret(endpoint, kek=kek)
    session.add(endpoint)
    session.flush()
    audit.record(session, actor=actor, action="webhook.create", target_type="webhook",
                 target_id=endpoint.public_id, event_id=event.id, now=now,
                 data={"url": endpoint.url, "events": endpoint.events})
    _changed(session)
    return endpoint, secret


def listing(session: Session, event: Event) -> list[WebhookEndpoint]:
    return list(session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.event_id == event.id).order_by(WebhookEndpoint.id)))


def get(session: Session, event: Event, public_id: str) -> WebhookEndpoint:
    endpoint = session.scalar(select(WebhookEndpoint).where(
        WebhookEndpoint.event_id == event.id, WebhookEndpoint.public_id == public_id))
    if endpoint is None:
        raise NotFound("No such webhook.", code=WEBHOOK_NOT_FOUND)
    return endpoint


def recent(session: Session, endpoint: WebhookEndpoint, limit: int = RECENT
           ) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.webhook_id == endpoint.id).order_by(OutboxMessage.id.desc()).limit(limit)))


def change(session: Session, endpoint: WebhookEndpoint, data: dict, *, https_only: bool,
           allow_private: bool, now: datetime, actor: str) -> WebhookEndpoint:
    """Change the address, the event types, or switch it on again (after a 410) or off."""
    if "url" in data:
        endpoint.url = _check_url(data["url"], https_only=https_only,
                                  allow_private=allow_private)
    if "events" in data:
        endpoint.events = sorted(set(data["events"]))
    if "active" in data:
        endpoint.active = data["active"]
        if endpoint.active:
            endpoint.disabled_reason = ""
    endpoint.updated_at = now
    session.flush()
    audit.record(session, actor=actor, action="webhook.change", target_type="webhook",
                 target_id=endpoint.public_id, event_id=endpoint.event_id, now=now,
                 data={k: data[k] for k in ("url", "events", "active") if k in data})
    _changed(session)
    return endpoint


def rotate(session: Session, endpoint: WebhookEndpoint, *, kek: str, now: datetime,
           actor: str) -> str:
    """A new secret; deliveries still waiting are signed with it when they go."""
    secret = _new_secret(endpoint, kek=kek)
    endpoint.updated_at = now
    session.flush()
    audit.record(session, actor=actor, action="webhook.rotate", target_type="webhook",
                 target_id=endpoint.public_id, event_id=endpoint.event_id, now=now)
    return secret


def delete(session: Session, endpoint: WebhookEndpoint, *, now: datetime, actor: str) -> None:
    """Remove the endpoint; its deliveries go with it (nothing more is sent)."""
    audit.record(session, actor=actor, action="webhook.delete", target_type="webhook",
                 target_id=endpoint.public_id, event_id=endpoint.event_id, now=now,
                 data={"url": endpoint.url})
    session.execute(update(OutboxMessage).where(
        OutboxMessage.webhook_id == endpoint.id, OutboxMessage.status == MessageStatus.PENDING)
        .values(status=MessageStatus.VOID), execution_options={"synchronize_session": False})
    session.delete(endpoint)
    session.flush()
    _changed(session)


def disable(session: Session, endpoint_id: int, *, reason: str, now: datetime) -> None:
    """The receiver said 410 Gone: stop the endpoint and its waiting deliveries."""
    session.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
                    .values(active=False, disabled_reason=reason[:200], updated_at=now))
    session.execute(update(OutboxMessage).where(
        OutboxMessage.webhook_id == endpoint_id, OutboxMessage.status == MessageStatus.PENDING,
        OutboxMessage.kind == DELIVERY_KIND)
        .values(status=MessageStatus.VOID, last_error="endpoint disabled", lease_until=None,
                claim_token=None), execution_options={"synchronize_session": False})
    _changed(session)


def reseal_all(session: Session, *, old: str, new: str) -> tuple[int, int]:
    """Seal every endpoint's secret under ``new``: (re-sealed, already under ``new``)."""
    from cryptography.exceptions import InvalidTag

    resealed = already = 0
    for endpoint in session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)):
        try:
            secret_of(endpoint, kek=new)
            already += 1
            continue
        except InvalidTag:
            raw = secret_of(endpoint, kek=old)
        endpoint.secret_sealed = sealing.seal(raw.encode(), purpose=_PURPOSE,
                                              aad=_aad(endpoint), secret=new)
        resealed += 1
    session.flush()
    return resealed, already
