"""Organizer endpoints: add participants to any category, approve, reject, cancel, search."""

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from forum import clock
from forum.accounts.auth import organizer_of
from forum.events import service as events
from forum.extensions import db
from forum.registration import service
from forum.registration.schemas import (
    ParticipantCreated,
    ParticipantOut,
    ParticipantPage,
    ParticipantQuery,
    RegistrationIn,
)

blp = Blueprint("participants", __name__, url_prefix="/api/v1/events/<slug>/participants",
                description="Accreditation (organizers)")


@blp.route("")
class Participants(MethodView):
    @blp.arguments(ParticipantQuery, location="query")
    @blp.response(200, ParticipantPage)
    @blp.alt_response(401, schema="Problem", description="Not signed in")
    @blp.alt_response(403, schema="Problem", description="Not an organizer of the event")
    def get(self, query: dict, slug: str):
        """Search the event's participants."""
        event = events.get_event(db.session, slug)
        organizer_of(request, event)
        items, total = service.search(db.session, event, **query)
        return {"items": items, "total": total, "page": query["page"],
                "per_page": query["per_page"]}

    @blp.arguments(RegistrationIn)
    @blp.response(201, ParticipantCreated)
    @blp.alt_response(409, schema="Problem", description="already_registered")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    def post(self, data: dict, slug: str):
        """Add a participant in any category (speakers, VIPs, staff, volunteers…)."""
        event = events.get_event(db.session, slug)
        actor = organizer_of(request, event)
        participant, token = service.register(
            db.session, event=event, data=service.RegistrationData(**data), now=clock.now(),
            actor=f"account:{actor.public_id}", by_organizer=True)
        db.session.commit()
        return {"participant": participant, "manage_token": token}


def _act(slug: str, participant_id: str, action: str):
    event = events.get_event(db.session, slug)
    actor = f"account:{organizer_of(request, event).public_id}"
    participant = service.get_participant(db.session, event, participant_id)
    now = clock.now()
    if action == "cancel":
        service.cancel(db.session, participant, now=now, actor=actor)
    else:
        service.decide(db.session, participant, approve=action == "approve", now=now,
                       actor=actor)
    db.session.commit()
    return participant


@blp.route("/<participant_id>/approve", methods=["POST"])
@blp.response(200, ParticipantOut)
@blp.alt_response(409, schema="Problem", description="not_pending")
def approve(slug: str, participant_id: str):
    """Approve a pending registration (press accreditation, …)."""
    return _act(slug, participant_id, "approve")


@blp.route("/<participant_id>/reject", methods=["POST"])
@blp.response(200, ParticipantOut)
@blp.alt_response(409, schema="Problem", description="not_pending")
def reject(slug: str, participant_id: str):
    """Reject a pending registration."""
    return _act(slug, participant_id, "reject")


@blp.route("/<participant_id>/cancel", methods=["POST"])
@blp.response(200, ParticipantOut)
def cancel(slug: str, participant_id: str):
    """Cancel a registration on the participant's behalf."""
    return _act(slug, participant_id, "cancel")
