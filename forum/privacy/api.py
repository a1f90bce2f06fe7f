"""Open data of an event: aggregate counts of confirmed participants, small ones withheld."""

from __future__ import annotations

from flask import Response

from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.blueprint import Blueprint
from forum.events.models import Event
from forum.extensions import db
from forum.privacy import open_data
from forum.privacy.schemas import OpenDataOut, OpenDataQuery

blp = Blueprint("open_data", __name__, url_prefix="/api/v1/events/<slug>",
                description="Open data (aggregate figures, no personal data)")


@blp.route("/open-data")
@blp.staff(Permission.FIGURES, whole_event=True)
@blp.arguments(OpenDataQuery, location="query")
@blp.response(200, OpenDataOut)
@blp.doc(responses={"200": {"description": "The figures (format=json) or table,value,count "
                                           "rows (format=csv)",
                            "content": {
                                "application/json": {"schema": "OpenDataOut"},
                                "text/csv": {"schema": {"type": "string"}}}}})
@blp.alt_response(422, schema="Problem", description="Unknown format")
def get_open_data(query: dict, *, event: Event, actor: Actor):
    """Counts of confirmed participants by country, category, organization kind and
    registration day; counts under 5 are withheld (null, or empty in CSV)."""
    data = open_data.open_data(db.session, event)
    if query["format"] == "csv":
        return Response(open_data.as_csv(data), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="open-data-{event.slug}.csv"'})
    return open_data.as_json(data)
