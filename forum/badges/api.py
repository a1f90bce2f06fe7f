"""Badge endpoints: my badge and QR (manage token); organizers' badges, reissue, bulk PDF."""

from __future__ import annotations

import io
import tempfile

from flask import Response, request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint

from forum import clock
from forum import db as dbmod
from forum.accounts.auth import organizer_of
from forum.badges import printing, service
from forum.badges.render import qr_png, qr_svg
from forum.badges.schemas import BadgeOut, BulkQuery, LayoutQuery, ReissueIn, binary
from forum.events import service as events
from forum.extensions import db
from forum.registration import service as registration
from forum.tokens import bearer

blp = Blueprint("badges", __name__, url_prefix="/api/v1", description="Badges and QR codes")

_NO_BADGE = "no_badge: the registration is not confirmed"
# Badges carry a signed code: caches may keep them only for this one client.
_PRIVATE = {"Cache-Control": "private, no-store"}


def _writing() -> None:
    # These GETs may issue a badge (a write): on SQLite take the write lock up front, as
    # POSTs do, so the transaction never has to upgrade from reader to writer.
    dbmod.set_sqlite_begin_mode("BEGIN IMMEDIATE")


def _my_badge():
    _writing()
    participant = registration.by_manage_token(db.session, bearer(request))
    return participant, service.ensure_badge(db.session, participant, now=clock.now())


def _pdf(data: bytes, filename: str) -> Response:
    return send_file(io.BytesIO(data), mimetype="application/pdf", download_name=filename,
                     max_age=0, etag=False)


@blp.route("/registrations/me/badge.pdf")
@blp.arguments(LayoutQuery, location="query")
@blp.doc(responses={"200": binary("application/pdf", "My badge, ready to print")})
@blp.alt_response(401, schema="Problem", description="Missing or unknown manage token")
@blp.alt_response(404, schema="Problem", description=_NO_BADGE)
def my_badge_pdf(query: dict):
    """My badge as a printable PDF (Authorization: Bearer <manage_token>)."""
    participant, _badge = _my_badge()
    out = io.BytesIO()
    printing.participant_pdf(db.session, participant, out, now=clock.now(), layout=query["layout"])
    db.session.commit()
    resp = _pdf(out.getvalue(), "badge.pdf")
    resp.headers.update(_PRIVATE)
    return resp


def _my_qr(render, mimetype: str) -> Response:
    _participant, badge = _my_badge()
    body = render(service.badge_token(db.session, badge, now=clock.now()))
    db.session.commit()
    return Response(body, mimetype=mimetype, headers=_PRIVATE)


@blp.route("/registrations/me/qr.png")
@blp.doc(responses={"200": binary("image/png", "My badge's QR code")})
@blp.alt_response(401, schema="Problem", description="Missing or unknown manage token")
@blp.alt_response(404, schema="Problem", description=_NO_BADGE)
def my_qr_png():
    """My badge's QR code as PNG, e.g. to show on a phone at the door."""
    return _my_qr(qr_png, "image/png")


@blp.route("/registrations/me/qr.svg")
@blp.doc(responses={"200": binary("image/svg+xml", "My badge's QR code")})
@blp.alt_response(401, schema="Problem", description="Missing or unknown manage token")
@blp.alt_response(404, schema="Problem", description=_NO_BADGE)
def my_qr_svg():
    """My badge's QR code as SVG."""
    return _my_qr(qr_svg, "image/svg+xml")


def _participant(slug: str, participant_id: str):
    event = events.get_event(db.session, slug)
    actor = organizer_of(request, event)
    return event, actor, registration.get_participant(db.session, event, participant_id)


@blp.route("/events/<slug>/participants/<participant_id>/badge")
class ParticipantBadge(MethodView):
    @blp.response(200, BadgeOut)
    @blp.alt_response(401, schema="Problem", description="Not signed in")
    @blp.alt_response(403, schema="Problem", description="Not an organizer of the event")
    @blp.alt_response(404, schema="Problem", description=_NO_BADGE)
    def get(self, slug: str, participant_id: str):
        """A participant's current badge (issued on first need)."""
        _writing()
        _event, _actor, participant = _participant(slug, participant_id)
        badge = service.ensure_badge(db.session, participant, now=clock.now())
        db.session.commit()
        return badge


@blp.route("/events/<slug>/participants/<participant_id>/badge/reissue", methods=["POST"])
@blp.arguments(ReissueIn)
@blp.response(201, BadgeOut)
@blp.alt_response(401, schema="Problem", description="Not signed in")
@blp.alt_response(403, schema="Problem", description="Not an organizer of the event")
@blp.alt_response(404, schema="Problem", description=_NO_BADGE)
@blp.alt_response(422, schema="Problem", description="Invalid fields")
def reissue(data: dict, slug: str, participant_id: str):
    """Issue a new revision (lost badge, corrected name, new category); the old one is revoked."""
    _event, actor, participant = _participant(slug, participant_id)
    badge = service.reissue(db.session, participant, now=clock.now(),
                            actor=f"account:{actor.public_id}", reason=data["reason"])
    db.session.commit()
    return badge


@blp.route("/events/<slug>/participants/<participant_id>/badge.pdf")
@blp.arguments(LayoutQuery, location="query")
@blp.doc(responses={"200": binary("application/pdf", "The participant's badge")})
@blp.alt_response(401, schema="Problem", description="Not signed in")
@blp.alt_response(403, schema="Problem", description="Not an organizer of the event")
@blp.alt_response(404, schema="Problem", description=_NO_BADGE)
def participant_badge_pdf(query: dict, slug: str, participant_id: str):
    """A participant's badge as a printable PDF (reprints at the desk)."""
    _writing()
    _event, _actor, participant = _participant(slug, participant_id)
    out = io.BytesIO()
    printing.participant_pdf(db.session, participant, out, now=clock.now(), layout=query["layout"])
    db.session.commit()
    return _pdf(out.getvalue(), f"badge-{participant.public_id}.pdf")


@blp.route("/events/<slug>/badges.pdf")
@blp.arguments(BulkQuery, location="query")
@blp.doc(responses={"200": binary("application/pdf",
                                  "The selection's badges, by delegation, then name")})
@blp.alt_response(401, schema="Problem", description="Not signed in")
@blp.alt_response(403, schema="Problem", description="Not an organizer of the event")
@blp.alt_response(404, schema="Problem",
                  description="unknown_delegation, unknown_company, unknown_category")
def bulk_pdf(query: dict, slug: str):
    """Badges of a selection in one PDF (missing badges are issued first)."""
    _writing()
    event = events.get_event(db.session, slug)
    organizer_of(request, event)
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
