"""Public event information."""

from flask.views import MethodView

from forum import clock
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.blueprint import Blueprint
from forum.events import service
from forum.events.models import Event
from forum.events.schemas import EventOut, EventPatch, StaffCategoryOut
from forum.extensions import db

blp = Blueprint("events", __name__, url_prefix="/api/v1/events", description="Events")


@blp.route("/<slug>")
class EventResource(MethodView):
    @blp.public
    @blp.response(200, EventOut)
    @blp.alt_response(404, schema="Problem", description="Unknown event")
    def get(self, *, event: Event):
        """Show an event and the categories open for self-registration."""
        return service.public_view(event, now=clock.now())

    @blp.staff(Permission.EVENT)
    @blp.arguments(EventPatch)
    @blp.response(200, EventOut)
    def patch(self, changes: dict, *, event: Event, actor: Actor):
        """Name the venue and the city in kk, ru and en."""
        now = clock.now()
        service.update_place(db.session, event, changes, now=now, actor=actor.ref)
        db.session.commit()
        return service.public_view(event, now=now)


@blp.route("/<slug>/categories")
@blp.staff(Permission.PARTICIPANTS_READ)
@blp.response(200, StaffCategoryOut(many=True))
def categories(*, event: Event, actor: Actor):
    """Every category of the event in display order, with quota and seats taken."""
    return list(event.categories)
