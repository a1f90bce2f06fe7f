"""Scanner endpoints: check in, upload offline scans, annul, and the offline bundle."""

from datetime import timedelta

from flask import Response, current_app, request
from flask.views import MethodView

from forum import clock
from forum import db as dbmod
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.blueprint import Blueprint
from forum.checkin import offline, service
from forum.checkin.devices import DeviceContext
from forum.checkin.schemas import AnnulOut, BatchIn, BatchOut, BundleOut, ScanIn, ScanOut
from forum.events.models import Event
from forum.extensions import db

blp = Blueprint("checkin", __name__, url_prefix="/api/v1", description="Entrance check-in")


def _max_age() -> timedelta:
    """How far back a scan's own time may lie (FORUM_SCAN_MAX_AGE_HOURS)."""
    return timedelta(hours=current_app.config.get("FORUM_SCAN_MAX_AGE_HOURS", 72))


@blp.route("/checkins", methods=["POST"])
@blp.device
@blp.arguments(ScanIn)
@blp.response(200, ScanOut)
@blp.alt_response(403, schema="Problem", description="gate_mismatch")
@blp.alt_response(422, schema="Problem",
                  description="Invalid fields; scan_time_out_of_window")
def checkin(data: dict, *, device: DeviceContext):
    """Check a badge in (or out) at the scanner's gate; denied scans are answers, not errors."""
    result = service.scan(db.session, device, **data, now=clock.now(), max_age=_max_age())
    db.session.commit()
    return result


@blp.route("/checkins/batch", methods=["POST"])
@blp.device
@blp.arguments(BatchIn)
@blp.response(200, BatchOut)
@blp.alt_response(403, schema="Problem", description="gate_mismatch")
@blp.alt_response(422, schema="Problem", description="Invalid fields (at most 500 scans); "
                  "scan_time_out_of_window, naming each scan (scans.<i>.scanned_at)")
def batch(data: dict, *, device: DeviceContext):
    """Upload scans made offline; applied in scan-time order, each nonce at most once."""
    results = service.scan_batch(db.session, device, data["scans"], now=clock.now(),
                                 max_age=_max_age())
    db.session.commit()
    return {"results": results}


def _checkin_event(kwargs: dict) -> Event:
    kwargs["checkin"] = service.get_checkin(db.session, kwargs.pop("checkin_id"))
    return db.session.get_one(Event, kwargs["checkin"].event_id)


@blp.route("/checkins/<checkin_id>/annul", methods=["POST"])
@blp.staff(Permission.CHECKINS, event_of=_checkin_event, device_too=True)
@blp.response(200, AnnulOut)
@blp.alt_response(403, schema="Problem", description="not_your_scan, insufficient_role")
@blp.alt_response(404, schema="Problem", description="checkin_not_found")
@blp.alt_response(409, schema="Problem", description="annul_window_passed")
def annul(*, checkin, event: Event, actor: Actor | None, device: DeviceContext | None):
    """Annul a scan within 15 minutes: the scanner that made it, or a check-in supervisor."""
    if device is not None:  # only the scanner that made the scan (the service checks)
        by, device_id = f"scanner:{device.device_public_id}", device.device_id
    else:
        assert actor is not None
        by, device_id = actor.ref, None
    service.annul(db.session, checkin, now=clock.now(), actor=by, device_id=device_id)
    db.session.commit()
    return checkin


@blp.route("/scanner/bundle")
class Bundle(MethodView):
    @blp.device
    @blp.response(200, BundleOut, headers={"ETag": {"schema": {"type": "string"}}})
    @blp.revalidated
    def get(self, *, device: DeviceContext):
        """The offline bundle, with its zone's people only; If-None-Match skips an unchanged one."""
        now = clock.now()
        # Badges still missing are issued in a short writing transaction of its own, so the
        # long read below does not hold SQLite's write lock against the scanners.
        with dbmod.sqlite_begin_mode("BEGIN IMMEDIATE"):
            offline.ensure_badges(db.session, device.event_id, now=now)
            db.session.commit()
        content = offline.bundle(db.session, device)
        body, etag = offline.encode(content)
        db.session.rollback()
        response = Response(body, mimetype="application/json")
        response.set_etag(etag)
        response = response.make_conditional(request)
        # Personal data: no cache anywhere keeps it (the page keeps its own copy, and
        # revalidates it with the ETag).
        response.headers["Cache-Control"] = "no-store"
        if response.status_code == 200:  # a download: audited with the device and its size
            with dbmod.sqlite_begin_mode("BEGIN IMMEDIATE"):
                offline.record_download(db.session, device, content, size=len(body), now=now)
                db.session.commit()
        return response
