"""Mail endpoints: a lost manage link sent again, the e-mail proof of a mailed link, and the
organizers' view of the outbox."""

from flask import current_app, request
from flask.views import MethodView

from forum import clock
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.blueprint import Blueprint
from forum.events.models import Event
from forum.extensions import db, limiter
from forum.mail import outbox, recovery
from forum.mail.schemas import (
    EmailProofIn,
    EmailProofOut,
    MessageOut,
    OutboxPage,
    OutboxQuery,
    RecoverIn,
    RecoverOut,
)
from forum.registration.models import Participant
from forum.tokens import bearer

blp = Blueprint("mail", __name__, url_prefix="/api/v1", template_folder="templates",
                description="E-mail: manage-link recovery and the organizers' outbox")
P = Permission
RECOVER_ANSWER = ("If this address is registered for the event, a new manage link is on its "
                  "way to it. The previous link no longer works once the new one is sent.")


def recovery_limit() -> str:
    return current_app.config["FORUM_RECOVERY_RATE_LIMIT"]


@blp.route("/events/<slug>/registrations/recover")
class Recover(MethodView):
    decorators = [limiter.limit(recovery_limit, methods=["POST"])]

    @blp.public
    @blp.arguments(RecoverIn)
    @blp.response(202, RecoverOut)
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    @blp.alt_response(429, schema="Problem", description="Rate limited")
    def post(self, data: dict, *, event: Event):
        """Mail a fresh manage link to a registered address (the same answer for any address)."""
        recovery.request_link(db.session, event=event, email=data["email"],
                              locale=data["locale"], now=clock.now())
        db.session.commit()
        return {"detail": RECOVER_ANSWER}


@blp.route("/registrations/me/email-proof", methods=["POST"])
@blp.registrant
@blp.arguments(EmailProofIn)
@blp.response(200, EmailProofOut)
@blp.alt_response(403, schema="Problem", description="invalid_email_proof")
def email_proof(data: dict, *, participant: Participant):
    """Prove my address with the ``proof`` of a manage link that came by e-mail."""
    recovery.verify_email(participant, data["proof"], token=bearer(request),
                          secret=current_app.config["SECRET_KEY"], now=clock.now())
    db.session.commit()
    return participant


@blp.route("/events/<slug>/outbox")
@blp.staff(P.PARTICIPANTS_READ, whole_event=True)
@blp.arguments(OutboxQuery, location="query")
@blp.response(200, OutboxPage)
def outbox_list(query: dict, *, event: Event, actor: Actor):
    """The event's e-mail: failed messages first, then those waiting, then the sent ones."""
    found = outbox.listing(db.session, event.id, status=query["status"], page=query["page"],
                           per_page=query["per_page"])
    return {"items": found.items, "total": found.total, "counts": found.counts,
            "page": query["page"], "per_page": query["per_page"]}


@blp.route("/events/<slug>/outbox/<message_id>/retry", methods=["POST"])
@blp.staff(P.PARTICIPANTS_WRITE, whole_event=True)
@blp.response(200, MessageOut)
@blp.alt_response(404, schema="Problem", description="message_not_found")
@blp.alt_response(409, schema="Problem", description="message_not_failed")
def outbox_retry(message_id: str, *, event: Event, actor: Actor):
    """Send a failed message again (its attempts start over)."""
    message = outbox.retry(db.session, outbox.get(db.session, event.id, message_id),
                           now=clock.now())
    db.session.commit()
    return message
