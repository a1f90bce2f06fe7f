"""Organizer endpoints: scanner devices of a gate, live figures, offline conflicts."""

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from forum import clock
from forum.accounts.auth import organizer_of
from forum.checkin import devices, offline, stats
from forum.checkin.schemas import (
    ConflictOut,
    DeviceCreated,
    DeviceIn,
    DeviceOut,
    StatsOut,
    StatsQuery,
)
from forum.events import service as events
from forum.extensions import db

blp = Blueprint("checkin-admin", __name__, url_prefix="/api/v1/events/<slug>",
                description="Scanner devices and check-in figures (organizers)")


@blp.route("/gates/<gate>/devices")
class Devices(MethodView):
    @blp.response(200, DeviceOut(many=True))
    @blp.alt_response(401, schema="Problem", description="Not signed in")
    @blp.alt_response(403, schema="Problem", description="Not an organizer of the event")
    @blp.alt_response(404, schema="Problem", description="event_not_found, gate_not_found")
    def get(self, slug: str, gate: str):
        """List the scanner devices of a gate, revoked ones included."""
        event = events.get_event(db.session, slug)
        organizer_of(request, event)
        return devices.list_devices(db.session, devices.get_gate(db.session, event, gate))

    @blp.arguments(DeviceIn)
    @blp.response(201, DeviceCreated)
    @blp.alt_response(401, schema="Problem", description="Not signed in")
    @blp.alt_response(403, schema="Problem", description="Not an organizer of the event")
    @blp.alt_response(404, schema="Problem", description="event_not_found, gate_not_found")
    def post(self, data: dict, slug: str, gate: str):
        """Issue a scanner token bound to this gate (shown once)."""
        event = events.get_event(db.session, slug)
        actor = f"account:{organizer_of(request, event).public_id}"
        device, token = devices.issue(db.session, gate=devices.get_gate(db.session, event, gate),
                                      name=data["name"], now=clock.now(), actor=actor)
        db.session.commit()
        return {"device": device, "token": token}


@blp.route("/gates/<gate>/devices/<device_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(404, schema="Problem", description="device_not_found")
def revoke_device(slug: str, gate: str, device_id: str):
    """Revoke a scanner token; other server processes stop accepting it within 30 seconds."""
    event = events.get_event(db.session, slug)
    actor = f"account:{organizer_of(request, event).public_id}"
    device = devices.get_device(db.session, devices.get_gate(db.session, event, gate), device_id)
    devices.revoke(db.session, device, now=clock.now(), actor=actor)
    db.session.commit()


@blp.route("/checkins/stats")
@blp.arguments(StatsQuery, location="query")
@blp.response(200, StatsOut)
@blp.alt_response(401, schema="Problem", description="Not signed in")
@blp.alt_response(403, schema="Problem", description="Not an organizer of the event")
def checkin_stats(query: dict, slug: str):
    """People inside each zone, admissions per 15 minutes, rejections by outcome."""
    event = events.get_event(db.session, slug)
    organizer_of(request, event)
    return stats.figures(db.session, event, day=query["day"], now=clock.now())


@blp.route("/checkins/conflicts")
@blp.response(200, ConflictOut(many=True))
@blp.alt_response(401, schema="Problem", description="Not signed in")
@blp.alt_response(403, schema="Problem", description="Not an organizer of the event")
def checkin_conflicts(slug: str):
    """Badges admitted at two doors while scanners were offline, for organizers to review."""
    event = events.get_event(db.session, slug)
    organizer_of(request, event)
    return offline.conflicts(db.session, event)
