"""Organizers' messages to a group of participants: preview, send, and the send log.

Whole-event work: a delegation head or company manager is refused (403). Their grant lets
them edit their own people, but a group message goes out from the forum's own address, so
only the event's organizers speak through it.
"""

from flask.views import MethodView

from forum import clock
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.blueprint import Blueprint
from forum.events.models import Event
from forum.extensions import db
from forum.mail import mailings
from forum.mail.schemas import (
    MailingIn,
    MailingOut,
    MailingPage,
    MailingQuery,
    PreviewIn,
    PreviewOut,
)

blp = Blueprint("mailings", __name__, url_prefix="/api/v1",
                description="Organizers' messages to a filtered group of participants")
P = Permission


def _draft(data: dict) -> mailings.Draft:
    audience = {k: v for k, v in data["audience"].items() if v}
    return mailings.Draft(subject=dict(data["subject"]), body=dict(data["body"]),
                          audience=audience)


@blp.route("/events/<slug>/mailings")
class Mailings(MethodView):
    @blp.staff(P.PARTICIPANTS_READ, whole_event=True)
    @blp.arguments(MailingQuery, location="query")
    @blp.response(200, MailingPage)
    def get(self, query: dict, *, event: Event, actor: Actor):
        """The send log: who sent what to whom, with live queued/sent/failed counts."""
        items, total = mailings.log(db.session, event, page=query["page"],
                                    per_page=query["per_page"])
        return {"items": items, "total": total, "page": query["page"],
                "per_page": query["per_page"]}

    @blp.staff(P.PARTICIPANTS_WRITE, whole_event=True)
    @blp.arguments(MailingIn)
    @blp.response(201, MailingOut)
    @blp.alt_response(422, schema="Problem",
                      description="unknown_placeholder, empty_mailing, empty_audience, "
                                  "unknown_audience")
    def post(self, data: dict, *, event: Event, actor: Actor):
        """Queue a message to everyone the audience filters match, each in their language."""
        mailing = mailings.send(db.session, event, _draft(data), actor=actor.ref,
                                actor_email=actor.account.email, now=clock.now())
        db.session.commit()
        return mailings.LogEntry(mailing, {"pending": mailing.recipients, "sent": 0,
                                           "failed": 0})


@blp.route("/events/<slug>/mailings/preview", methods=["POST"])
@blp.staff(P.PARTICIPANTS_WRITE, whole_event=True)
@blp.arguments(PreviewIn)
@blp.response(200, PreviewOut)
@blp.alt_response(422, schema="Problem", description="unknown_placeholder, empty_mailing, "
                                                     "unknown_audience")
def preview(data: dict, *, event: Event, actor: Actor):
    """The audience's size and the message as one of its members gets it (nothing sent)."""
    size, sample = mailings.preview(db.session, event, _draft(data), actor=actor.ref,
                                    now=clock.now(), locale=data["locale"])
    db.session.commit()
    return {"audience_size": size, "sample": sample}
