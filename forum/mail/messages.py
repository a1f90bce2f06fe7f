"""The messages to a participant, written from Jinja templates in their language and put in
the outbox in the transaction of the change that caused them.

Each ``templates/mail/<locale>/<notice>.txt`` holds the subject, a ``---`` line, then the
plain-text body in paragraphs; ``layout.html`` sets the same paragraphs as the HTML part. A
manage link is never written into a stored body: the body holds ``LINK_MARK`` and the link is
sealed beside it until the message is sent (``forum.mail.worker``).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_date
from flask import current_app
from sqlalchemy.orm import Session

from forum import sealing
from forum.db import opaque_id
from forum.i18n import format_event_dates
from forum.mail import outbox
from forum.mail.models import OutboxMessage
from forum.registration.models import Participant, Status
from forum.registration.notices import Notice
from forum.tokens import token_hash

LINK_MARK = "@@MANAGE_LINK@@"
LINK_PURPOSE = b"forum.mail.manage-link"
PROOF_PURPOSE = b"forum.mail.email-proof:"
# Messages that carry the person's manage link (the token is known only at these moments).
_WITH_LINK = {Notice.RECEIVED, Notice.CONFIRMED, Notice.WAITLISTED, Notice.MANAGE_LINK}


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


def email_proof(token: str, *, secret: str) -> str:
    """What a mailed manage link carries besides the token: only the server can compute it,
    and only the mail ever shows it, so opening a link with it proves the address."""
    mac = hmac.new(secret.encode(), PROOF_PURPOSE + token_hash(token).encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


def proof_matches(token: str, proof: str, *, secret: str) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII characters (TypeError, a 500).
    return hmac.compare_digest(email_proof(token, secret=secret).encode(), proof.encode())


def manage_url(token: str) -> str:
    config = current_app.config
    proof = email_proof(token, secret=config["SECRET_KEY"])
    return f"{config['FORUM_PUBLIC_URL']}/manage#token={token}&proof={proof}"


def seal_link(url: str, public_id: str) -> bytes:
    return sealing.seal(url.encode(), purpose=LINK_PURPOSE, aad=public_id.encode(),
                        secret=current_app.config["SECRET_KEY"])


def unseal_link(message: OutboxMessage) -> str:
    assert message.link_sealed is not None
    return sealing.unseal(message.link_sealed, purpose=LINK_PURPOSE,
                          aad=message.public_id.encode(),
                          secret=current_app.config["SECRET_KEY"]).decode()


def compose(participant: Participant, notice: Notice, *, with_link: bool, with_badge: bool,
            reason: str = "") -> Composed:
    """Subject, text and HTML of one message, in the participant's language."""
    env = current_app.jinja_env
    locale = participant.locale.value
    event = participant.event
    public_url = current_app.config["FORUM_PUBLIC_URL"]
    context = {
        "name": participant.first_name or participant.display_name,
        "event": event.name, "venue": event.place_in(locale),
        # CLDR's long dates in the reader's language ("3 июня 2026 г."), not one numeric form
        "dates": format_event_dates(event, locale),
        "starts": format_date(event.starts_on, "long", locale=locale),
        "category": participant.category.name_in(locale), "reason": reason.strip(),
        "link": LINK_MARK if with_link else None, "manage_page": f"{public_url}/manage",
        "recover_page": f"{public_url}/register#recover",
        "register_page": f"{public_url}/register", "with_badge": with_badge,
        "waitlisted": participant.status is Status.WAITLISTED,
    }
    rendered = env.get_template(f"mail/{locale}/{notice.value}.txt").render(context)
    subject, _, text = rendered.partition("\n---\n")
    paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    html = env.get_template("mail/layout.html").render(
        context, lang=locale, subject=subject.strip(), paragraphs=paragraphs,
        link_mark=LINK_MARK, button=env.get_template(f"mail/{locale}/button.txt").render().strip())
    return Composed(subject.strip(), text.strip() + "\n", html)


def enqueue_notice(session: Session, participant: Participant, notice: Notice, *,
                   now: datetime, token: str | None = None, reason: str = "") -> str:
    """Write the message about ``notice`` into the outbox, in the caller's transaction;
    returns its public id."""
    with_link = token is not None and notice in _WITH_LINK
    with_badge = notice in (Notice.CONFIRMED, Notice.PROMOTED, Notice.BADGE_REISSUED,
                            Notice.REMINDER) or (
        notice is Notice.APPROVED and participant.status is Status.CONFIRMED)
    composed = compose(participant, notice, with_link=with_link, with_badge=with_badge,
                       reason=reason)
    public_id = opaque_id()
    return outbox.enqueue(
        session, to=participant.email, kind=notice.value, now=now,
        event_id=participant.event_id, participant_id=participant.id,
        locale=participant.locale.value, subject=composed.subject, body_text=composed.text,
        body_html=composed.html, with_badge=with_badge, public_id=public_id,
        link_sealed=seal_link(manage_url(token), public_id) if with_link else None)


def on_notice(session: Session, participant: Participant, notice: Notice, *, now: datetime,
              token: str | None = None, reason: str = "", **_data: object) -> None:
    """The registration domain's hook (connected by the app factory)."""
    enqueue_notice(session, participant, notice, now=now, token=token, reason=reason)
