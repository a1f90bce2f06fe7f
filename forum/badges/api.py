"""Badge endpoints: my badge and QR (manage token); organizers' badges, reissue, bulk PDF."""

from __future__ import annotations

import io
import tempfile

from flask import Response, current_app, send_file
from flask.views import MethodView

from forum import clock
from forum import db as dbmod
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.audit import service as audit
from forum.badges import calendar, printing, service
from forum.badges.render import qr_png, qr_svg
from forum.badges.schemas import BadgeOut, BulkQuery, LayoutQuery, ReissueIn, binary
from forum.blueprint import Blueprint
from forum.events.models import Event
from forum.extensions import db
from forum.registration import service as registration
from forum.registration.models import Participant

blp = Blueprint("badges", __name__, url_prefix="/api/v1", description="Badges and QR codes")

_NO_BADGE = "no_badge: the registration is not confirmed"
# Badges carry a signed code: caches may keep them only for this one client.
_PRIVATE = {"Cache-Control": "private, no-store"}




def _pdf(data: bytes, filename: str) -> Response:
    return send_file(io.BytesIO(data), mimetype="application/pdf", download_name=filename,
                     max_age=0, etag=False)


@blp.route("/registrations/me/badge.pdf")
@blp.registrant
@blp.writing
@blp.arguments(LayoutQuery, location="query")
@blp.doc(responses={"200": binary("application/pdf", "My badge, ready to print")})
@blp.alt_response(404, schema="Problem", description=_NO_BADGE)
def my_badge_pdf(query: dict, *, participant: Participant):
    """My badge as a printable PDF (Authorization: Bearer <manage_token>)."""
    service.ensure_badge(db.session, participant, now=clock.now())
    out = io.BytesIO()
    printing.participant_pdf(db.session, participant, out, now=clock.now(), layout=query["layout"])
    db.session.commit()
    resp = _pdf(out.getvalue(), "badge.pdf")
    resp.headers.update(_PRIVATE)
    return resp


@blp.route("/registrations/me/forum.ics")
@blp.registrant
@blp.writing
@blp.doc(responses={"200": binary("text/calendar", "The forum's days at the venue")})
@blp.alt_response(404, schema="Problem", description=_NO_BADGE)
def my_calendar(*, participant: Participant):
    """The forum's days at the venue as an iCalendar file, with what to bring at the door."""
    body = calendar.forum_calendar(db.session, participant, now=clock.now(),
                                   base_url=current_app.config["FORUM_PUBLIC_URL"])
    db.session.commit()
    return Response(body, mimetype="text/calendar", headers={
        **_PRIVATE, "Content-Disposition": 'attachment; filename="digital-bridge.ics"'})


def _my_qr(participant: Participant, render, mimetype: str) -> Response:
    badge = service.ensure_badge(db.session, participant, now=clock.now())
    body = render(service.badge_token(db.session, badge, now=clock.now()))
    db.session.commit()
    return Response(body, mimetype=mimetype, headers=_PRIVATE)


@blp.route("/registrations/me/qr.png")
@blp.registrant
@blp.writing
@blp.doc(responses={"200": binary("image/png", "My badge's QR code")})
@blp.alt_response(404, schema="Problem", description=_NO_BADGE)
def my_qr_png(*, participant: Participant):
    """My badge's QR code as PNG, e.g. to show on a phone at the door."""
    return _my_qr(participant, qr_png, "image/png")


@blp.route("/registrations/me/qr.svg")
@blp.registrant
@blp.writing
@blp.doc(responses={"200": binary("image/svg+xml", "My badge's QR code")})
@blp.alt_response(404, schema="Problem", description=_NO_BADGE)
def my_qr_svg(*, participant: Participant):
    """My badge's QR code as SVG."""
    return _my_qr(participant, qr_svg, "image/svg+xml")


def _participant(event: Event, actor: Actor, participant_id: str) -> Participant:
    return registration.get_participant(db.session, event, participant_id, scope=actor.scope)


@blp.route("/events/<slug>/participants/<participant_id>/badge")
class ParticipantBadge(MethodView):
    @blp.staff(Permission.BADGES)
    @blp.writing
    @blp.response(200, BadgeOut)
    @blp.alt_response(404, schema="Problem", description=_NO_BADGE)
    def get(self, participant_id: str, *, event: Event, actor: Actor):
        """A participant's current badge (issued on first need)."""
        participant = _participant(event, actor, participant_id)
        badge = service.ensure_badge(db.session, participant, now=clock.now())
        audit.record_view(db.session, actor=actor.ref, event_id=event.id,
                          participant_public_id=participant.public_id, now=clock.now(),
                          what="badge")
        db.session.commit()
        return badge


@blp.route("/events/<slug>/participants/<participant_id>/badge/reissue", methods=["POST"])
@blp.staff(Permission.BADGES)
@blp.arguments(ReissueIn)
@blp.response(201, BadgeOut)
@blp.alt_response(404, schema="Problem", description=_NO_BADGE)
@blp.alt_response(422, schema="Problem", description="Invalid fields")
def reissue(data: dict, participant_id: str, *, event: Event, actor: Actor):
    """Issue a new revision (lost badge, corrected name, new category); the old one is revoked."""
    participant = _participant(event, actor, participant_id)
    badge = service.reissue(db.session, participant, now=clock.now(), actor=actor.ref,
                            reason=data["reason"])
    db.session.commit()
    return badge


@blp.route("/events/<slug>/participants/<participant_id>/badge.pdf")
@blp.staff(Permission.BADGES)
@blp.writing
@blp.arguments(LayoutQuery, location="query")
@blp.doc(responses={"200": binary("application/pdf", "The participant's badge")})
@blp.alt_response(404, schema="Problem", description=_NO_BADGE)
def participant_badge_pdf(query: dict, participant_id: str, *, event: Event, actor: Actor):
    """A participant's badge as a printable PDF (reprints at the desk)."""
    participant = _participant(event, actor, participant_id)
    out = io.BytesIO()
    printing.participant_pdf(db.session, participant, out, now=clock.now(), layout=query["layout"])
    audit.record_view(db.session, actor=actor.ref, event_id=event.id,
                      participant_public_id=participant.public_id, now=clock.now(),
                      what="badge.pdf")
    db.session.commit()
    return _pdf(out.getvalue(), f"badge-{participant.public_id}.pdf")


@blp.route("/events/<slug>/badges.pdf")
@blp.staff(Permission.BADGES, whole_event=True)
@blp.writing
@blp.arguments(BulkQuery, location="query")
@blp.doc(responses={"200": binary("application/pdf",
                                  "The selection's badges, by delegation, then name")})
@blp.alt_response(404, schema="Problem",
                  description="unknown_delegation, unknown_company, unknown_category")
def bulk_pdf(query: dict, *, event: Event, actor: Actor):
    """Badges of a selection in one PDF (missing badges are issued first)."""
    layout, mark = query.pop("layout"), query.pop("mark_printed")
    filters = service.BadgeFilter(**query)
    now = clock.now()
    # Three short transactions instead of one long one: issue the missing badges, draw in a
    # read-only transaction (no write lock held while drawing), then record the print time.
    service.ensure_badges(db.session, event, now=now, filters=filters)
    db.session.commit()
    # Spooled to disk past 16 MB and sent in chunks.
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115  (send_file closes it)
    with dbmod.sqlite_begin_mode("BEGIN"):
        drawn = printing.selection_pdf(db.session, event, filters, out, now=now, layout=layout)
        db.session.rollback()
    if mark:
        printing.mark_printed(db.session, drawn, now=now)
        db.session.commit()
    size = out.tell()
    out.seek(0)

    def chunks():
        with out:
            while block := out.read(256 * 1024):
                yield block

    return Response(chunks(), mimetype="application/pdf", headers={
        "Content-Length": str(size), "Cache-Control": "no-store",
        "Content-Disposition": f'attachment; filename="badges-{event.slug}.pdf"'})
