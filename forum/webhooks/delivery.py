"""One webhook delivery: sign the stored payload, POST it, record what the receiver said.

Run by the mail worker for outbox rows of kind "webhook". 2xx: delivered; 410 Gone: the
endpoint is disabled and its waiting deliveries stopped; network errors, 5xx and 429: tried
again after the outbox's backoff, failed after the last attempt; any other answer: failed.
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from forum import db as dbmod
from forum import keyring
from forum.mail import outbox
from forum.mail.models import OutboxMessage
from forum.webhooks import service, urls
from forum.webhooks.models import WebhookEndpoint

USER_AGENT = "DigitalBridge-Webhooks/1"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``timestamp + "." + body`` under the secret."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


@dataclass
class Prepared:
    endpoint_id: int
    url: str
    body: bytes
    headers: dict[str, str]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new destination (it could lead inside the network)."""

    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _prepare(session: Session, message: OutboxMessage, config: Mapping[str, object], *,
             now: datetime) -> Prepared | str:
    """The signed request, or why it cannot go (the endpoint is gone or refused)."""
    endpoint = session.get(WebhookEndpoint, message.webhook_id)
    if endpoint is None or not endpoint.active:
        return "the endpoint is disabled"
    try:
        urls.check(endpoint.url, **urls.policy(config))
    except urls.UrlRefused as exc:
        return f"refused: {exc}"
    body = message.body_text.encode()
    timestamp = str(int(now.timestamp()))
    secret = service.secret_of(endpoint, kek=keyring.key_encryption_key(config))
    return Prepared(endpoint.id, endpoint.url, body, {
        "Content-Type": "application/json", "User-Agent": USER_AGENT,
        "Forum-Delivery": message.public_id, "Forum-Event": message.subject,
        "Forum-Timestamp": timestamp, "Forum-Signature": signature(secret, timestamp, body)})


def post(prepared: Prepared, *, timeout: float) -> tuple[int | None, str]:
    """(HTTP status or None, error text; "" for a 2xx)."""
    request = urllib.request.Request(prepared.url, data=prepared.body, method="POST",
                                     headers=prepared.headers)
    try:
        with _opener.open(request, timeout=timeout) as answer:
            answer.read(65536)
            return answer.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:  # refused, reset, timed out, TLS, bad URL
        return None, f"{type(exc).__name__}: {exc}"


def deliver(session: Session, message_id: int, claim_token: str, *,
            config: Mapping[str, object], now, max_attempts: int) -> str:
    """Deliver one claimed row; returns the error ("" when delivered)."""
    message = session.get(OutboxMessage, message_id)
    assert message is not None
    prepared = _prepare(session, message, config, now=now())
    session.commit()  # no transaction stays open while the receiver answers
    status: int | None = None
    if isinstance(prepared, str):
        error, permanent = prepared, True
    else:
        status, error = post(prepared, timeout=float(config["FORUM_WEBHOOK_TIMEOUT"]))
        # 429 and 5xx (and no answer at all) are tried again; any other refusal is final.
        permanent = bool(error) and status is not None and status != 429 and status < 500
    with dbmod.sqlite_begin_mode("BEGIN IMMEDIATE"):
        moment = now()
        if error:
            outbox.mark_failed(session, message_id, claim_token, error=error, now=moment,
                               max_attempts=max_attempts, permanent=permanent)
        else:
            outbox.mark_sent(session, message_id, claim_token, now=moment)
        if not isinstance(prepared, str):
            endpoint = session.get(WebhookEndpoint, prepared.endpoint_id)
            if endpoint is not None:
                endpoint.last_status, endpoint.last_error = status, error[:500]
                endpoint.last_attempt_at = moment
            if status == 410:
                service.disable(session, prepared.endpoint_id,
                                reason="The receiver answered 410 Gone.", now=moment)
        session.commit()
    return error
