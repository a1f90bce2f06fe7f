"""Scanner endpoints: check in, upload offline scans, annul, and the offline bundle."""

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from forum import clock
from forum import db as dbmod
from forum.accounts.auth import organizer_of
from forum.checkin import devices, offline, service
from forum.checkin.schemas import AnnulOut, BatchIn, BatchOut, BundleOut, ScanIn, ScanOut
from forum.events.models import Event
from forum.extensions import db
from forum.tokens import bearer

blp = Blueprint("checkin", __name__, url_prefix="/api/v1", description="Entrance check-in")


def _device() -> devices.DeviceContext:
    return devices.authenticate(db.session, bearer(request), now=clock.now())


@blp.route("/checkins", methods=["POST"])
@blp.arguments(ScanIn)
@blp.response(200, ScanOut)
@blp.alt_response(401, schema="Problem", description="missing_token, invalid_token")
@blp.alt_response(403, schema="Problem", description="gate_mismatch")
@blp.alt_response(422, schema="Problem", description="Invalid fields")
def checkin(data: dict):
    """Check a badge in (or out) at the scanner's gate; denied scans are answers, not errors."""
    device = _device()
    result = service.scan(db.session, device, **data, now=clock.now())
    db.session.commit()
    return result


@blp.route("/checkins/batch", methods=["POST"])
@blp.arguments(BatchIn)
@blp.response(200, BatchOut)
@blp.alt_response(401, schema="Problem", description="missing_token, invalid_token")
@blp.alt_response(403, schema="Problem", description="gate_mismatch")
@blp.alt_response(422, schema="Problem", description="Invalid fields (at most 500 scans)")
def batch(data: dict):
    """Upload scans made offline; applied in scan-time order, each nonce at most once."""
    device = _device()
    results = service.scan_batch(db.session, device, data["scans"], now=clock.now())
    db.session.commit()
    return {"results": results}


@blp.route("/checkins/<checkin_id>/annul", methods=["POST"])
@blp.response(200, AnnulOut)
@blp.alt_response(401, schema="Problem", description="missing_token, invalid_token")
@blp.alt_response(403, schema="Problem", description="not_your_scan, insufficient_role")
@blp.alt_response(404, schema="Problem", description="checkin_not_found")
@blp.alt_response(409, schema="Problem", description="annul_window_passed")
def annul(checkin_id: str):
    """Annul a scan within 15 minutes: the scanner that made it, or an organizer."""
    now = clock.now()
    device = devices.lookup(db.session, bearer(request), now=now)
    checkin = service.get_checkin(db.session, checkin_id)
    if device is not None and device.event_id == checkin.event_id:
        actor, device_id = f"scanner:{device.device_public_id}", device.device_id
    else:
        account = organizer_of(request, db.session.get_one(Event, checkin.event_id))
        actor, device_id = f"account:{account.public_id}", None
    service.annul(db.session, checkin, now=now, actor=actor, device_id=device_id)
    db.session.commit()
    return checkin


@blp.route("/scanner/bundle")
class Bundle(MethodView):
    @blp.response(200, BundleOut, headers={"ETag": {"schema": {"type": "string"}}})
    @blp.alt_response(304, description="Not modified (If-None-Match matched the ETag)")
    @blp.alt_response(401, schema="Problem", description="missing_token, invalid_token")
    def get(self):
        """Everything the scanner needs offline; send If-None-Match to skip an unchanged one."""
        now = clock.now()
        # Badges still missing are issued in a short writing transaction of its own, so the
        # long read below does not hold SQLite's write lock against the scanners.
        with dbmod.sqlite_begin_mode("BEGIN IMMEDIATE"):
            device = _device()
            offline.ensure_badges(db.session, device.event_id, now=now)
            db.session.commit()
        body, etag = offline.encode(offline.bundle(db.session, device))
        db.session.rollback()
        response = Response(body, mimetype="application/json")
        response.set_etag(etag)
        return response.make_conditional(request)
