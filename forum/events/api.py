"""Public event information."""

from flask.views import MethodView
from flask_smorest import Blueprint

from forum import clock
from forum.events import service
from forum.events.schemas import EventOut
from forum.extensions import db

blp = Blueprint("events", __name__, url_prefix="/api/v1/events", description="Events")


@blp.route("/<slug>")
class EventResource(MethodView):
    @blp.response(200, EventOut)
    @blp.alt_response(404, schema="Problem", description="Unknown event")
    def get(self, slug: str):
        """Show an event and the categories open for self-registration."""
        event = service.get_event(db.session, slug)
        return service.public_view(event, now=clock.now())
