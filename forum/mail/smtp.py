"""Handing a message to the SMTP server named by ``FORUM_SMTP_*``."""

from __future__ import annotations

import functools
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # none, starttls, tls
    user: str
    password: str
    sender: str
    timeout: float

    @classmethod
    def from_config(cls, config) -> SmtpSettings:
        return cls(host=config["FORUM_SMTP_HOST"], port=config["FORUM_SMTP_PORT"],
                   security=config["FORUM_SMTP_SECURITY"], user=config["FORUM_SMTP_USER"],
                   password=config["FORUM_SMTP_PASSWORD"], sender=config["FORUM_MAIL_FROM"],
                   timeout=config["FORUM_SMTP_TIMEOUT"])


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str
    cid: str | None = None  # an inline image the HTML part shows as cid:<cid>


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying will not help."""


def build(settings: SmtpSettings, *, to: str, subject: str, text: str, html: str,
          message_id: str, locale: str, attachments: list[Attachment]) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    # One Message-ID per outbox row: a receiving server can tell a repeat it already has.
    msg["Message-ID"] = make_msgid(idstring=message_id, domain="digital-bridge.forum")
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    html_part = msg.get_payload()[1]
    for item in attachments:
        if item.cid:
            html_part.add_related(item.content, maintype=item.maintype, subtype=item.subtype,
                                  cid=f"<{item.cid}>", filename=item.filename,
                                  disposition="inline")
    for item in attachments:
        if not item.cid:
            msg.add_attachment(item.content, maintype=item.maintype, subtype=item.subtype,
                               filename=item.filename)
    # Set last: building the parts moves Content-* headers down into them.
    msg["Content-Language"] = locale
    return msg


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Loading the system's CA certificates takes about 90 ms: done once per process (per
    message it capped a worker at about 8 messages per second), and only when TLS is used."""
    return ssl.create_default_context()


def send(settings: SmtpSettings, msg: EmailMessage) -> None:
    """Deliver one message; PermanentFailure for a 5xx refusal, other errors are transient."""
    try:
        if settings.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port,
                                                    timeout=settings.timeout,
                                                    context=_tls_context())
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            if settings.security == "starttls":
                client.starttls(context=_tls_context())
            if settings.user:
                client.login(settings.user, settings.password)
            client.send_message(msg)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            raise PermanentFailure(f"recipient refused: {exc.recipients}") from exc
        raise
    except smtplib.SMTPDataError as exc:  # a refused sender is our setting: retried
        if 500 <= exc.smtp_code < 600:
            raise PermanentFailure(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
        raise
