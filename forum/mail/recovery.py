"""A lost manage link, sent again: the request is queued as it is, the worker answers it.

The HTTP side does the same work for every address (one INSERT of a recovery request), so
neither the answer nor its timing tells whether the address is registered. The worker looks
the address up; for a registration it replaces the manage token (the old link stops working)
and turns the request into the message with the fresh link; otherwise the request is voided
and its address blanked.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from forum import idempotency
from forum.audit import service as audit
from forum.events.models import Event
from forum.mail import messages, outbox
from forum.mail.errors import INVALID_PROOF
from forum.mail.models import RECOVERY_KIND, OutboxMessage
from forum.registration import service as registration
from forum.registration.models import Participant
from forum.registration.notices import Notice
from forum.tokens import new_token, token_hash


def request_link(session: Session, *, event: Event, email: str, locale: str,
                 now: datetime) -> None:
    """Queue a recovery request (the caller commits; the answer is the same either way)."""
    outbox.enqueue(session, to=email, kind=RECOVERY_KIND, now=now, event_id=event.id,
                   locale=locale)


def rotate_manage_token(session: Session, participant: Participant, *, now: datetime) -> str:
    """A fresh manage token for the registration; the previous one stops working."""
    token = new_token()
    participant.manage_token_hash = token_hash(token)
    participant.updated_at = now
    # A replayed registration answer would hand out the old, dead token.
    idempotency.forget(session, subject=participant.public_id)
    audit.record(session, actor=f"participant:{participant.public_id}",
                 action="registration.manage_link", target_type="participant",
                 target_id=participant.public_id, event_id=participant.event_id, now=now)
    return token


def resolve(session: Session, request: OutboxMessage, *, now: datetime) -> bool:
    """Turn a claimed recovery request into the message with a fresh link; False (and the
    request voided) when the address has no registration in the event."""
    participant = session.scalar(select(Participant).where(
        Participant.event_id == request.event_id, Participant.email == request.to_address))
    if participant is None or registration.is_erased(participant):
        outbox.void(session, request)
        return False
    token = rotate_manage_token(session, participant, now=now)
    composed = messages.compose(participant, Notice.MANAGE_LINK, with_link=True,
                                with_badge=False)
    request.kind = Notice.MANAGE_LINK.value
    request.participant_id = participant.id
    request.locale = participant.locale.value
    request.subject, request.body_text, request.body_html = (
        composed.subject, composed.text, composed.html)
    request.link_sealed = messages.seal_link(messages.manage_url(token), request.public_id)
    session.flush()
    return True


def verify_email(participant: Participant, proof: str, *, token: str, secret: str,
                 now: datetime) -> Participant:
    """The person opened a link that only the mail carried: their address is proven."""
    from forum.errors import Forbidden

    if not messages.proof_matches(token, proof, secret=secret):
        raise Forbidden("This link does not prove the e-mail address.", code=INVALID_PROOF)
    if participant.email_verified_at is None:
        participant.email_verified_at = now
    return participant



