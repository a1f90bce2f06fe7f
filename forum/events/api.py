"""Public event information."""

from flask.views import MethodView

from forum import clock
from forum.blueprint import Blueprint
from forum.events import service
from forum.events.models import Event
from forum.events.schemas import EventOut

blp = Blueprint("events", __name__, url_prefix="/api/v1/events", description="Events")


@blp.route("/<slug>")
class EventResource(MethodView):
    @blp.public
    @blp.response(200, EventOut)
    @blp.alt_response(404, schema="Problem", description="Unknown event")
    def get(self, *, event: Event):
        """Show an event and the categories open for self-registration."""
        return service.public_view(event, now=clock.now())
