"""The mail worker: claims due outbox rows one at a time, sends them, records the outcome.

Each row goes through three short transactions: the claim (with its lease), the send (outside
any transaction, so no lock is held while the SMTP server talks), and the outcome. A worker
that dies between claim and outcome leaves a lease that runs out; the row is then claimed
again (the same Message-ID lets a receiving server spot the repeat).
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.orm import Session

from forum import db as dbmod
from forum.badges import printing
from forum.badges import service as badges
from forum.badges.render import qr_png
from forum.errors import DomainError
from forum.mail import messages, outbox, recovery, smtp
from forum.mail.models import RECOVERY_KIND, OutboxMessage
from forum.registration.models import Participant
from forum.webhooks import delivery as webhook_delivery

log = logging.getLogger("forum.mail")
# Sent messages' bodies are emptied at most this often by a running worker.
_PURGE_EVERY = timedelta(hours=1)


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0  # attempts that failed (retried later or given up)
    voided: int = 0
    errors: list[str] = field(default_factory=list)


def _attachments(session: Session, message: OutboxMessage, *, now: datetime
                 ) -> list[smtp.Attachment]:
    """The badge PDF and its QR, drawn now from the current revision (nothing stored)."""
    participant = session.get(Participant, message.participant_id) \
        if message.participant_id else None
    if not message.with_badge or participant is None:
        return []
    try:
        badge = badges.ensure_badge(session, participant, now=now)
    except DomainError:  # no longer confirmed (cancelled meanwhile): the text goes alone
        return []
    pdf = io.BytesIO()
    printing.participant_pdf(session, participant, pdf, now=now)
    token = badges.badge_token(session, badge, now=now)
    return [smtp.Attachment("badge.pdf", pdf.getvalue(), "application", "pdf"),
            smtp.Attachment("qr.png", qr_png(token), "image", "png", cid="badge-qr")]


def _claim(session: Session, *, now: datetime, webhooks_only: bool
           ) -> tuple[int, str, bool] | None:
    """Claim one due row (its own short transaction): id, claim token, is it a webhook."""
    with dbmod.sqlite_begin_mode("BEGIN IMMEDIATE"):
        message = outbox.claim(session, now=now, webhooks_only=webhooks_only)
        claimed = ((message.id, message.claim_token or "", message.webhook_id is not None)
                   if message is not None else None)
        session.commit()
    return claimed


def _build(session: Session, message_id: int, settings: smtp.SmtpSettings, *, now: datetime):
    """The e-mail of a claimed row (None for a voided recovery request); commits what it
    wrote (a recovery's fresh token, a badge issued on first need)."""
    with dbmod.sqlite_begin_mode("BEGIN IMMEDIATE"):
        message = session.get(OutboxMessage, message_id)
        assert message is not None
        if message.kind == RECOVERY_KIND and not recovery.resolve(session, message, now=now):
            session.commit()
            return None
        text, html = message.body_text, message.body_html
        if message.link_sealed is not None:
            link = messages.unseal_link(message)
            text = text.replace(messages.LINK_MARK, link)
            html = html.replace(messages.LINK_MARK, link.replace("&", "&amp;"))
        built = smtp.build(settings, to=message.to_address, subject=message.subject, text=text,
                           html=html, message_id=message.public_id, locale=message.locale,
                           attachments=_attachments(session, message, now=now))
        session.commit()
        return built


def _record(session: Session, message_id: int, claim_token: str, *, error: str,
            permanent: bool, now: datetime, max_attempts: int) -> None:
    with dbmod.sqlite_begin_mode("BEGIN IMMEDIATE"):
        if error:
            outbox.mark_failed(session, message_id, claim_token, error=error, now=now,
                               max_attempts=max_attempts, permanent=permanent)
            log.warning("mail %s not sent: %s", message_id, error)
        else:
            outbox.mark_sent(session, message_id, claim_token, now=now)
        session.commit()


def deliver_one(session: Session, *, now: Callable[[], datetime],
                settings: smtp.SmtpSettings, max_attempts: int, outcome: Outcome) -> bool:
    """Send the oldest due message (or webhook delivery); False when none is due."""
    claimed = _claim(session, now=now(), webhooks_only=not settings.host)
    if claimed is None:
        return False
    message_id, claim_token, is_webhook = claimed
    if is_webhook:
        error = webhook_delivery.deliver(session, message_id, claim_token,
                                         config=current_app.config, now=now,
                                         max_attempts=max_attempts)
        _count(outcome, error)
        return True
    error, permanent = "", False
    try:
        built = _build(session, message_id, settings, now=now())
        if built is None:
            outcome.voided += 1
            return True
        smtp.send(settings, built)
    except smtp.PermanentFailure as exc:
        error, permanent = str(exc), True
    except Exception as exc:  # noqa: BLE001 - any failure to build or send is retried
        session.rollback()
        error = f"{type(exc).__name__}: {exc}"
    _record(session, message_id, claim_token, error=error, permanent=permanent, now=now(),
            max_attempts=max_attempts)
    _count(outcome, error)
    return True


def _count(outcome: Outcome, error: str) -> None:
    if error:
        outcome.failed += 1
        outcome.errors.append(error)
    else:
        outcome.sent += 1


def run(session: Session, *, now: Callable[[], datetime], once: bool,
        stop: threading.Event | None = None, idle_pause: float = 2.0) -> Outcome:
    """Deliver due messages at the configured pace; ``once``: until none is due, then return.

    Without an SMTP host no e-mail is claimed: the messages wait, readable in the panel;
    webhook deliveries still go.
    """
    config = current_app.config
    settings = smtp.SmtpSettings.from_config(config)
    outcome = Outcome()
    if not settings.host:
        log.info("FORUM_SMTP_HOST is not set: e-mail stays in the outbox, webhooks go")
    stop = stop or threading.Event()
    gap = 1.0 / config["FORUM_MAIL_RATE"] if config["FORUM_MAIL_RATE"] > 0 else 0.0
    keep = timedelta(days=config["FORUM_MAIL_KEEP_DAYS"])
    last_purge: datetime | None = None
    while not stop.is_set():
        if last_purge is None or now() - last_purge >= _PURGE_EVERY:
            with dbmod.sqlite_begin_mode("BEGIN IMMEDIATE"):
                outbox.purge_bodies(session, now=now(), keep=keep)
                outbox.forget_erased(session, now=now())
                session.commit()
            last_purge = now()
        started = time.monotonic()
        worked = deliver_one(session, now=now, settings=settings,
                             max_attempts=config["FORUM_MAIL_MAX_ATTEMPTS"], outcome=outcome)
        if not worked:
            if once:
                break
            stop.wait(idle_pause)
            continue
        stop.wait(max(0.0, gap - (time.monotonic() - started)))
    return outcome
