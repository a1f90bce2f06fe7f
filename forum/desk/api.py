"""The participant desk: one person's detail and history, corrections, category moves,
decisions with a reason, and bulk actions on a selection (all or nothing).

Scoped roles (delegation heads, company managers) use the same routes for their own people;
anyone else's participant is 404.
"""

from __future__ import annotations

from forum import clock
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.audit import service as audit
from forum.blueprint import Blueprint
from forum.desk import service
from forum.desk.schemas import (
    BulkIn,
    BulkOut,
    CategoryChangeIn,
    ParticipantDetail,
    ParticipantEdit,
)
from forum.events.models import Event
from forum.extensions import db
from forum.registration import service as registration
from forum.registration.schemas import ParticipantOut

blp = Blueprint("desk", __name__, url_prefix="/api/v1/events/<slug>/participants",
                description="The participant desk (organizers; delegation heads and company "
                            "managers for their own people)")
P = Permission
_NOT_FOUND = "participant_not_found (also for someone outside your delegation or company)"


def _person(event: Event, actor: Actor, participant_id: str):
    return registration.get_participant(db.session, event, participant_id, scope=actor.scope)


@blp.route("/<participant_id>", methods=["GET"])
@blp.staff(P.PARTICIPANTS_READ)
@blp.response(200, ParticipantDetail)
@blp.alt_response(404, schema="Problem", description=_NOT_FOUND)
def show(participant_id: str, *, event: Event, actor: Actor):
    """A participant with their badge and history; the view itself is logged."""
    participant = _person(event, actor, participant_id)
    audit.record_view(db.session, actor=actor.ref, event_id=event.id,
                      participant_public_id=participant.public_id, now=clock.now(),
                      what="detail")
    found = service.detail(db.session, participant)
    db.session.commit()
    return found


@blp.route("/<participant_id>", methods=["PATCH"])
@blp.staff(P.PARTICIPANTS_WRITE)
@blp.arguments(ParticipantEdit)
@blp.response(200, ParticipantDetail)
@blp.alt_response(404, schema="Problem", description=_NOT_FOUND)
@blp.alt_response(409, schema="Problem", description="already_registered (the new email)")
@blp.alt_response(422, schema="Problem", description="Invalid fields; reason is required")
def edit(changes: dict, participant_id: str, *, event: Event, actor: Actor):
    """Correct a registration, with a reason kept in the audit log (reissue the badge after a
    name change: the printed one still shows the old name)."""
    participant = _person(event, actor, participant_id)
    reason = changes.pop("reason")
    service.edit(db.session, participant, changes, reason=reason, now=clock.now(),
                 actor=actor.ref)
    found = service.detail(db.session, participant)
    db.session.commit()
    return found


@blp.route("/<participant_id>/category", methods=["POST"])
@blp.staff(P.PARTICIPANTS_WRITE, whole_event=True)
@blp.arguments(CategoryChangeIn)
@blp.response(200, ParticipantOut)
@blp.alt_response(404, schema="Problem", description=_NOT_FOUND)
@blp.alt_response(409, schema="Problem", description="category_full")
@blp.alt_response(422, schema="Problem", description="Unknown category; reason is required")
def change_category(data: dict, participant_id: str, *, event: Event, actor: Actor):
    """Move a participant to another category (their seat moves with them, or nothing does)."""
    participant = _person(event, actor, participant_id)
    service.change_category(db.session, participant, data["category"], reason=data["reason"],
                            now=clock.now(), actor=actor.ref)
    db.session.commit()
    return participant


@blp.route("/bulk", methods=["POST"])
@blp.staff(P.ACCREDITATION, P.PARTICIPANTS_WRITE, whole_event=True)
@blp.arguments(BulkIn)
@blp.response(200, BulkOut)
@blp.alt_response(409, schema="Problem",
                  description="bulk_failed: nothing changed; failures lists each id's code")
@blp.alt_response(422, schema="Problem", description="Invalid selection or action")
def bulk(data: dict, *, event: Event, actor: Actor):
    """Approve, reject, cancel or move up to 500 participants at once, all or nothing."""
    result = service.bulk(db.session, event, data["ids"], action=data["action"],
                          now=clock.now(), actor=actor.ref, scope=actor.scope,
                          reason=data["reason"], category=data["category"])
    db.session.commit()
    return {"done": len(result.done), "items": result.done}
