"""The organizers' dashboard figures; a repeated poll with the same ETag gets a bodiless 304."""

from flask import Response, request

from forum import clock
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.blueprint import Blueprint
from forum.dashboard import service
from forum.dashboard.schemas import DashboardOut, DashboardQuery
from forum.events.models import Event
from forum.extensions import db

blp = Blueprint("dashboard", __name__, url_prefix="/api/v1/events/<slug>",
                description="Dashboard figures (no personal data)")


@blp.route("/dashboard")
@blp.staff(Permission.FIGURES)
@blp.arguments(DashboardQuery, location="query")
@blp.response(200, DashboardOut)
@blp.revalidated
def dashboard(query: dict, *, event: Event, actor: Actor):
    """Registrations per day, categories, countries, delegations, companies, check-ins."""
    now = clock.now()
    tag = service.etag(db.session, event, now=now, **query)
    # Weak: the tag fingerprints the data the figures read, not the bytes of the body.
    headers = {"ETag": f'W/"{tag}"', "Cache-Control": "private, no-cache"}
    if request.if_none_match.contains_weak(tag):
        return Response(status=304, headers=headers)
    return service.figures(db.session, event, now=now, **query), 200, headers
