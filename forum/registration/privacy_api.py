"""Erasure of a participant's personal data by organizers (a person's request, a mistake).

Whole-event work: delegation heads and company managers may not erase.
"""

from __future__ import annotations

from forum import clock
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.blueprint import Blueprint
from forum.events.models import Event
from forum.extensions import db
from forum.privacy import service as privacy
from forum.privacy.schemas import ErasedOut, EraseIn
from forum.registration import service

blp = Blueprint("privacy", __name__, url_prefix="/api/v1/events/<slug>/participants",
                description="Erasure of personal data (organizers)")


@blp.route("/<participant_id>/erase", methods=["POST"])
@blp.staff(Permission.PRIVACY, whole_event=True)
@blp.arguments(EraseIn)
@blp.response(200, ErasedOut)
@blp.alt_response(404, schema="Problem", description="participant_not_found")
@blp.alt_response(422, schema="Problem", description="Invalid fields, reason_required")
def erase(data: dict, participant_id: str, *, event: Event, actor: Actor):
    """Erase a participant's personal data: the seat goes to the waitlist, the badge is
    revoked, statistics stay; erasing again changes nothing."""
    participant = service.get_participant(db.session, event, participant_id)
    privacy.erase_participant(db.session, participant, now=clock.now(), actor=actor.ref,
                              reason=data["reason"])
    db.session.commit()
    return participant
