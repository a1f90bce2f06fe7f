"""Organizer endpoints: scanner devices of a gate, live figures, offline conflicts."""

from flask.views import MethodView

from forum import clock
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.blueprint import Blueprint
from forum.checkin import devices, offline, rooms, stats
from forum.checkin.schemas import (
    AttendanceOut,
    ConflictOut,
    DeviceCreated,
    DeviceIn,
    DeviceOut,
    GateOut,
    GatePatch,
    RoomZoneOut,
    StatsOut,
    StatsQuery,
)
from forum.events.models import Event
from forum.extensions import db
from forum.program.service import get_room

blp = Blueprint("checkin-admin", __name__, url_prefix="/api/v1/events/<slug>",
                description="Scanner devices and check-in figures (organizers)")


@blp.route("/gates")
@blp.staff(Permission.DEVICES)
@blp.response(200, GateOut(many=True))
def list_gates(*, event: Event, actor: Actor):
    """The event's gates, by zone."""
    return devices.list_gates(db.session, event)


@blp.route("/gates/<gate>", methods=["PATCH"])
@blp.staff(Permission.DEVICES)
@blp.arguments(GatePatch)
@blp.response(200, GateOut)
@blp.alt_response(404, schema="Problem", description="event_not_found, gate_not_found")
def rename_gate(data: dict, gate: str, *, event: Event, actor: Actor):
    """Name a gate in kk, ru and en, as scanners and the panel show it."""
    found = devices.rename_gate(db.session, devices.get_gate(db.session, event, gate),
                                data["names"], now=clock.now(), actor=actor.ref)
    db.session.commit()
    return found


@blp.route("/gates/<gate>/devices")
class Devices(MethodView):
    @blp.staff(Permission.DEVICES)
    @blp.response(200, DeviceOut(many=True))
    @blp.alt_response(404, schema="Problem", description="event_not_found, gate_not_found")
    def get(self, gate: str, *, event: Event, actor: Actor):
        """List the scanner devices of a gate, revoked ones included."""
        return devices.list_devices(db.session, devices.get_gate(db.session, event, gate))

    @blp.staff(Permission.DEVICES)
    @blp.arguments(DeviceIn)
    @blp.response(201, DeviceCreated)
    @blp.alt_response(404, schema="Problem", description="event_not_found, gate_not_found")
    def post(self, data: dict, gate: str, *, event: Event, actor: Actor):
        """Issue a scanner token bound to this gate (shown once)."""
        device, token = devices.issue(db.session, gate=devices.get_gate(db.session, event, gate),
                                      name=data["name"], now=clock.now(), actor=actor.ref)
        db.session.commit()
        return {"device": device, "token": token}


@blp.route("/gates/<gate>/devices/<device_id>", methods=["DELETE"])
@blp.staff(Permission.DEVICES)
@blp.response(204)
@blp.alt_response(404, schema="Problem", description="device_not_found")
def revoke_device(gate: str, device_id: str, *, event: Event, actor: Actor):
    """Revoke a scanner token; other server processes stop accepting it within 30 seconds."""
    device = devices.get_device(db.session, devices.get_gate(db.session, event, gate), device_id)
    devices.revoke(db.session, device, now=clock.now(), actor=actor.ref)
    db.session.commit()


@blp.route("/checkins/stats")
@blp.staff(Permission.FIGURES)
@blp.arguments(StatsQuery, location="query")
@blp.response(200, StatsOut)
def checkin_stats(query: dict, *, event: Event, actor: Actor):
    """People inside each zone, admissions per 15 minutes, rejections by outcome."""
    return stats.figures(db.session, event, day=query["day"], now=clock.now())


@blp.route("/checkins/conflicts")
@blp.staff(Permission.CHECKINS)
@blp.response(200, ConflictOut(many=True))
def checkin_conflicts(*, event: Event, actor: Actor):
    """Badges admitted at two doors while scanners were offline, for organizers to review."""
    return offline.conflicts(db.session, event)


@blp.route("/rooms/<room_slug>/zone", methods=["PUT"])
@blp.staff(Permission.DEVICES)
@blp.response(200, RoomZoneOut)
@blp.alt_response(404, schema="Problem", description="room_not_found")
@blp.alt_response(409, schema="Problem", description="zone_exists, gate_exists")
def room_zone(room_slug: str, *, event: Event, actor: Actor):
    """Make a room a check-in zone: during its bookable sessions the door admits only the
    booked people. Answers the zone and its entry door (the same again when repeated)."""
    room = get_room(db.session, event, room_slug)
    zone, gate = rooms.room_zone(db.session, event, room, now=clock.now(), actor=actor.ref)
    db.session.commit()
    return {"room": room.slug, "zone": zone.slug, "gate": gate}


@blp.route("/sessions/<session_id>/attendance")
@blp.staff(Permission.FIGURES)
@blp.response(200, AttendanceOut)
@blp.alt_response(404, schema="Problem", description="session_not_found")
def session_attendance(session_id: str, *, event: Event, actor: Actor):
    """Seats booked, the waitlist, and how many came in through the room's doors."""
    return rooms.attendance(db.session, event, session_id)
