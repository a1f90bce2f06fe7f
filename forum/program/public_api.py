"""The public agenda: the latest published version of the program, in kk, ru or en.

Every answer carries a strong ETag and may be cached for a minute by browsers and proxies; a
repeated request with If-None-Match gets a bodiless 304. A process keeps the bodies it built
last, by ETag, so a morning crowd asking for the same page costs little more than the tag.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request

from forum.blueprint import Blueprint
from forum.events.models import Event
from forum.extensions import db
from forum.i18n import negotiate
from forum.program import feeds, public
from forum.program.schemas import (
    CalendarQuery,
    LangQuery,
    ProgramOut,
    ProgramQuery,
    PublicSessionDetail,
    PublicSpeakerOut,
)

blp = Blueprint("program_public", __name__, url_prefix="/api/v1/events/<slug>",
                description="The public program (latest published version)")

CACHE_CONTROL = "public, max-age=60"
_BODIES: OrderedDict[str, bytes] = OrderedDict()
_BODIES_KEPT = 64
_LOCK = threading.Lock()


def _answer(tag: str, build: Callable[[], Any], mimetype: str = "application/json"
            ) -> Response:
    """``build()`` gives the data of a JSON answer, or the finished bytes of another type."""
    headers = {"Cache-Control": CACHE_CONTROL, "Vary": "Accept-Language"}
    if request.if_none_match.contains_weak(tag):  # RFC 9110: weak comparison here
        response = Response(status=304, headers=headers)
        response.set_etag(tag)
        db.session.rollback()
        return response
    with _LOCK:
        body = _BODIES.get(tag)
    if body is None:
        built = build()
        body = built if isinstance(built, bytes) else json.dumps(
            built, ensure_ascii=False, separators=(",", ":")).encode()
        with _LOCK:
            _BODIES[tag] = body
            while len(_BODIES) > _BODIES_KEPT:
                _BODIES.popitem(last=False)
    db.session.rollback()  # a read: end the transaction before the body goes out
    response = Response(body, mimetype=mimetype, headers=headers)
    response.set_etag(tag)
    return response


def _language(query: dict) -> str:
    return negotiate(query.pop("lang", None), request.accept_languages)


def _body(content_type: str, description: str, kind: str = "string"
          ) -> Callable[[Callable], Callable]:
    """Document a feed's 200 by its media type (its body has no marshmallow schema)."""
    return blp.doc(responses={"200": {"description": description, "content": {
        content_type: {"schema": {"type": kind}}}}})


@blp.route("/program")
@blp.public
@blp.arguments(ProgramQuery, location="query")
@blp.response(200, ProgramOut, headers={"ETag": {"schema": {"type": "string"}}})
@blp.revalidated
def program(query: dict, *, event: Event):
    """The published program, filtered by day, track, room, language, kind, speaker or text."""
    language = _language(query)
    filters = {k: v for k, v in query.items() if v is not None}
    current = public.view(db.session, event)
    return _answer(current.etag("program", language, filters),
                   lambda: public.program(db.session, current, language=language,
                                          filters=filters))


@blp.route("/program/sessions/<session_id>")
@blp.public
@blp.arguments(LangQuery, location="query")
@blp.response(200, PublicSessionDetail)
@blp.alt_response(404, schema="Problem", description="session_not_found")
@blp.revalidated
def session_detail(query: dict, session_id: str, *, event: Event):
    """One session of the published program, with its description."""
    language = _language(query)
    current = public.view(db.session, event)
    # Look it up first: an unknown id is a 404, not a cached answer.
    found = public.session_detail(db.session, current, session_id, language=language)
    return _answer(current.etag(f"session:{session_id}", language), lambda: found)


@blp.route("/speakers", methods=["GET"])
@blp.public
@blp.arguments(LangQuery, location="query")
@blp.response(200, PublicSpeakerOut(many=True))
@blp.revalidated
def speakers(query: dict, *, event: Event):
    """The speakers of the published program (only what each agreed to publish)."""
    language = _language(query)
    current = public.view(db.session, event)
    return _answer(current.etag("speakers", language),
                   lambda: public.speakers(db.session, current, language=language,
                                           base_url=_base_url()))


@blp.route("/speakers/<speaker_id>", methods=["GET"])
@blp.public
@blp.arguments(LangQuery, location="query")
@blp.response(200, PublicSpeakerOut)
@blp.alt_response(404, schema="Problem", description="speaker_not_found")
@blp.revalidated
def speaker(query: dict, speaker_id: str, *, event: Event):
    """A speaker's public profile and sessions."""
    language = _language(query)
    current = public.view(db.session, event)
    found = public.speaker_detail(db.session, current, speaker_id, language=language,
                                  base_url=_base_url())
    return _answer(current.etag(f"speaker:{speaker_id}", language), lambda: found)


# --- feeds for calendar and conference apps ----------------------------------------------

@blp.route("/program.ics")
@blp.public
@blp.arguments(CalendarQuery, location="query")
@blp.response(200)
@_body("text/calendar", "iCalendar (RFC 5545), one event per session")
@blp.revalidated
def calendar(query: dict, *, event: Event):
    """The published program as an iCalendar feed, whole or for one track, room or speaker."""
    language = _language(query)
    filters = {k: v for k, v in query.items() if v is not None}
    current = public.view(db.session, event)
    return _answer(current.etag("ics", language, filters),
                   lambda: feeds.calendar(db.session, current, language=language,
                                          filters=filters, base_url=_base_url()),
                   "text/calendar")


@blp.route("/schedule.xml")
@blp.public
@blp.arguments(LangQuery, location="query")
@blp.response(200)
@_body("application/xml", "frab schedule.xml (the structure of c3voc's schedule XSD)")
@blp.revalidated
def schedule_xml(query: dict, *, event: Event):
    """The published program as frab's schedule.xml, for conference apps."""
    language = _language(query)
    current = public.view(db.session, event)
    return _answer(current.etag("schedule.xml", language),
                   lambda: feeds.schedule_xml(db.session, current, language=language,
                                              base_url=_base_url()),
                   "application/xml")


@blp.route("/schedule.json")
@blp.public
@blp.arguments(LangQuery, location="query")
@blp.response(200)
@_body("application/json", "c3voc schedule.json", "object")
@blp.revalidated
def schedule_json(query: dict, *, event: Event):
    """The published program as the c3voc schedule.json, for conference apps."""
    language = _language(query)
    current = public.view(db.session, event)
    return _answer(current.etag("schedule.json", language),
                   lambda: feeds.schedule(db.session, current, language=language,
                                          base_url=_base_url()))


def _base_url() -> str:
    return current_app.config["FORUM_PUBLIC_URL"]
