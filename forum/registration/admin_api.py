"""Staff endpoints: add participants to any category, approve, reject, cancel, search.

Delegation heads and company managers call the same routes; the server narrows every answer
to their delegation's or company's people (anyone else's is 404).
"""

from flask.views import MethodView

from forum import clock
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.blueprint import Blueprint
from forum.events.models import Event
from forum.extensions import db
from forum.registration import search, service
from forum.registration.schemas import (
    DecisionIn,
    ParticipantCreated,
    ParticipantOut,
    ParticipantPage,
    ParticipantQuery,
    RegistrationIn,
)

blp = Blueprint("participants", __name__, url_prefix="/api/v1/events/<slug>/participants",
                description="Accreditation (organizers; delegation heads and company managers "
                            "for their own people)")
P = Permission


@blp.route("")
class Participants(MethodView):
    @blp.staff(P.PARTICIPANTS_READ)
    @blp.arguments(ParticipantQuery, location="query")
    @blp.response(200, ParticipantPage)
    @blp.alt_response(422, schema="Problem", description="Invalid filters, search_too_short")
    def get(self, query: dict, *, event: Event, actor: Actor):
        """Search the event's participants (a scoped caller sees only their own people)."""
        actor.check_search(query["q"])
        found = search.find(db.session, event, scope=actor.scope, **query)
        return {"items": found.items, "total": found.total, "total_exact": found.total_exact,
                "page": query["page"], "per_page": query["per_page"]}

    # Whole event: a delegation's or company's members join with its invitation code.
    @blp.staff(P.PARTICIPANTS_WRITE, whole_event=True)
    @blp.arguments(RegistrationIn)
    @blp.response(201, ParticipantCreated)
    @blp.alt_response(409, schema="Problem", description="already_registered")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    def post(self, data: dict, *, event: Event, actor: Actor):
        """Add a participant in any category (speakers, VIPs, staff, volunteers…)."""
        participant, token = service.register(
            db.session, event=event, data=service.RegistrationData(**data), now=clock.now(),
            actor=actor.ref, by_organizer=True)
        db.session.commit()
        return {"participant": participant, "manage_token": token}


def _act(event: Event, actor: Actor, participant_id: str, action: str, reason: str = ""):
    participant = service.get_participant(db.session, event, participant_id, scope=actor.scope)
    now = clock.now()
    if action == "cancel":
        service.cancel(db.session, participant, now=now, actor=actor.ref)
    else:
        service.decide(db.session, participant, approve=action == "approve", now=now,
                       actor=actor.ref, reason=reason)
    db.session.commit()
    return participant


@blp.route("/<participant_id>/approve", methods=["POST"])
@blp.staff(P.ACCREDITATION)
@blp.arguments(DecisionIn)
@blp.response(200, ParticipantOut)
@blp.alt_response(404, schema="Problem", description="participant_not_found")
@blp.alt_response(409, schema="Problem", description="not_pending")
def approve(data: dict, participant_id: str, *, event: Event, actor: Actor):
    """Approve a pending registration (press accreditation, …)."""
    return _act(event, actor, participant_id, "approve", data["reason"])


@blp.route("/<participant_id>/reject", methods=["POST"])
@blp.staff(P.ACCREDITATION)
@blp.arguments(DecisionIn)
@blp.response(200, ParticipantOut)
@blp.alt_response(404, schema="Problem", description="participant_not_found")
@blp.alt_response(409, schema="Problem", description="not_pending")
def reject(data: dict, participant_id: str, *, event: Event, actor: Actor):
    """Reject a pending registration (the reason is kept for the message to the person)."""
    return _act(event, actor, participant_id, "reject", data["reason"])


@blp.route("/<participant_id>/cancel", methods=["POST"])
@blp.staff(P.PARTICIPANTS_WRITE)
@blp.response(200, ParticipantOut)
@blp.alt_response(404, schema="Problem", description="participant_not_found")
def cancel(participant_id: str, *, event: Event, actor: Actor):
    """Cancel a registration on the participant's behalf."""
    return _act(event, actor, participant_id, "cancel")
