"""The forum's Blueprint: one way for a route to say who may call it.

Every API route carries exactly one access decorator, placed above ``arguments`` so that the
caller is authenticated before the body is read and before any id is looked up:

- ``public``: anyone (``slug`` becomes ``event``);
- ``staff(*permissions)``: a signed-in account (bearer token, or the panel's session cookie
  with a CSRF token on writes) whose grants for the route's event hold the permissions; the
  view receives ``actor`` (forum.accounts.auth.Actor) and ``event``;
- ``device``: a scanner device token; the view receives ``device``;
- ``registrant``: a participant's manage token; the view receives ``participant``;
- ``speaker``: a speaker's private profile link token; the view receives ``speaker``.

Each one documents its 401/403/404 answers in OpenAPI and leaves a marker (``ACCESS_ATTR``)
that the route-matrix test reads. ``idempotent`` replays a stored answer for a retried
``Idempotency-Key``. The SQLite begin mode follows the method: reads share the database,
writes take the write lock up front.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any

import flask_smorest
from flask import current_app, request
from webargs.flaskparser import FlaskParser, abort

from forum import clock
from forum import db as dbmod
from forum.errors import PROBLEM_MIME
from forum.translate import use_locale

ACCESS_ATTR = "_forum_access"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Access:
    """Who may call a route (read by the route-matrix test and nothing else)."""

    kind: str  # public, staff, device, registrant, speaker
    permissions: tuple = ()
    device_too: bool = False  # staff routes a scanner device may also call
    whole_event: bool = False  # refused to roles scoped to one delegation or company


class _Parser(FlaskParser):
    """webargs' parser, answering 400 to a body that is not JSON, and to JSON that Python's
    decoder cannot hold: nesting deeper than the interpreter's recursion limit, or integers
    past its 4,300 digits. It runs inside the access decorator: the caller is known first."""

    def load_json(self, req: Any, schema: Any) -> Any:
        if req.content_length and not req.is_json:
            from forum.errors import BadRequest

            raise BadRequest("Send the body as JSON (Content-Type: application/json).",
                             code="not_json", title="The request body is not JSON")
        return super().load_json(req, schema)

    def _raw_load_json(self, req: Any) -> Any:
        try:
            return super()._raw_load_json(req)
        except RecursionError as exc:
            abort(400, exc=exc, messages={"json": ["The JSON body is nested too deeply."]})
        except ValueError as exc:
            if isinstance(exc, json.JSONDecodeError):
                raise  # webargs answers these itself ("Invalid JSON body.")
            abort(400, exc=exc, messages={"json": ["The JSON body has a number too long."]})


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = _Parser()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.before_request(_begin_mode)
        self.teardown_request(_reset_begin_mode)

    def arguments(self, schema: Any, *args: Any, **kwargs: Any) -> Callable:
        """As flask-smorest's, with the schema built once: given a class, webargs builds it
        anew on every request (0.2 ms of a 3 ms scan in a profile of 1,000 scans). A JSON body
        is documented as required only when the schema has a required field: a body of
        optional fields (a PATCH, an approval's reason) may be left out, as the server
        takes a missing body for ``{}``."""
        if isinstance(schema, type):
            schema = schema()
        if kwargs.get("location", "json") == "json":
            kwargs.setdefault("required", any(f.required for f in schema.fields.values()))
        return super().arguments(schema, *args, **kwargs)

    def alt_response(self, status_code: Any, response: Any = None, **kwargs: Any) -> Callable:
        """As flask-smorest's, with error answers (4xx, 5xx) documented as the server sends
        them: the ``Problem`` schema as ``application/problem+json``."""
        if response is None and int(status_code) >= 400:
            kwargs.setdefault("schema", "Problem")
            kwargs.setdefault("content_type", PROBLEM_MIME)
        return super().alt_response(status_code, response, **kwargs)

    # --- access decorators ---------------------------------------------------------------

    def public(self, func: Callable) -> Callable:
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return func(*args, **_with_event(kwargs))

        return self._mark(wrapper, Access("public"), statuses={})

    def staff(self, *permissions: Any, event_of: Callable[[dict], Any] | None = None,
              device_too: bool = False, whole_event: bool = False
              ) -> Callable[[Callable], Callable]:
        """Signed-in staff holding ``permissions`` for the event of the route.

        The event comes from the ``slug`` path parameter, or from ``event_of(kwargs)`` for
        routes named by another id (looked up only after authentication). With
        ``device_too``, a scanner device token is accepted as well (``device=`` is then
        passed instead of ``actor=``). ``whole_event`` routes act beyond one delegation or
        company (bulk printing, adding anyone): scoped roles are refused there.
        """

        def decorator(func: Callable) -> Callable:
            @wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                from forum.accounts import auth, sessions

                if device_too and (device := _device(required=False)) is not None:
                    return func(*args, device=device, actor=None, **_event_of(kwargs, event_of))
                account = sessions.account_from_request(request)
                kwargs = _event_of(kwargs, event_of)
                actor = auth.authorize(account, kwargs.get("event"), permissions,
                                       whole_event=whole_event,
                                       require_totp=current_app.config["FORUM_TOTP_REQUIRED"])
                if device_too:
                    kwargs["device"] = None
                return func(*args, actor=actor, **kwargs)

            statuses = {401: "Not signed in (missing_token, invalid_token, csrf_failed)",
                        403: "The role does not allow it (insufficient_role)"}
            access = Access("staff", tuple(permissions), device_too, whole_event)
            return self._mark(wrapper, access, statuses)

        return decorator

    def device(self, func: Callable) -> Callable:
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return func(*args, device=_device(required=True), **kwargs)

        return self._mark(wrapper, Access("device"),
                          {401: "Missing, unknown or revoked scanner token"})

    def registrant(self, func: Callable) -> Callable:
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from forum.registration import service
            from forum.tokens import bearer

            participant = service.by_manage_token(current_session(), bearer(request))
            use_locale(participant.locale.value)  # answers in the person's stored language
            return func(*args, participant=participant, **kwargs)

        return self._mark(wrapper, Access("registrant"),
                          {401: "Missing or unknown manage token"})

    def speaker(self, func: Callable) -> Callable:
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from forum.program import speaker_links
            from forum.tokens import bearer

            found = speaker_links.authenticate(current_session(), bearer(request))
            return func(*args, speaker=found, **kwargs)

        return self._mark(wrapper, Access("speaker"),
                          {401: "Missing, unknown or renewed speaker link token"})

    def _mark(self, wrapper: Callable, access: Access, statuses: dict[int, str]) -> Callable:
        setattr(wrapper, ACCESS_ATTR, access)
        for status, text in statuses.items():
            wrapper = self.alt_response(status, schema="Problem", content_type=PROBLEM_MIME,
                                        description=text)(wrapper)
        return wrapper

    @staticmethod
    def writing(func: Callable) -> Callable:
        """A GET that may write (issues a badge on first need): on SQLite it takes the write
        lock up front, as POSTs do, so its transaction never upgrades from reader to writer."""

        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            dbmod.set_sqlite_begin_mode("BEGIN IMMEDIATE")
            return func(*args, **kwargs)

        return wrapper

    # --- conditional reads ----------------------------------------------------------------

    def revalidated(self, func: Callable) -> Callable:
        """Document a GET answered 304 while the client's If-None-Match still holds (place
        under ``response`` and ``arguments``). The header joins the route's query arguments:
        ``doc(parameters=…)`` would replace their list."""
        func = self.alt_response(304, description="Not modified (If-None-Match matched)")(func)
        func._apidoc = deepcopy(getattr(func, "_apidoc", {}))
        func._apidoc.setdefault("arguments", {}).setdefault("parameters", []).append({
            "in": "header", "name": "If-None-Match", "required": False,
            "schema": {"type": "string"},
            "description": "The ETag of the last answer: 304 while it still holds."})
        return func

    # --- replay -------------------------------------------------------------------------

    def idempotent(self, scope: Callable[[dict], str],
                   subject: Callable[[dict], str | None] = lambda _body: None,
                   subject_of: Callable[[dict], str | None] | None = None
                   ) -> Callable[[Callable], Callable]:
        """Replay the stored answer of a retried ``Idempotency-Key`` (place under ``response``).

        The view returns ``(json_body, status)``; that pair is stored with the change in one
        transaction (the view does not commit) and served again for the same key and body.
        ``subject(body)`` names what the answer is about, so that it can be forgotten;
        ``subject_of(kwargs)`` names it from the view's arguments instead.
        """

        def decorator(func: Callable) -> Callable:
            @wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                from forum.idempotency import Replayable, run_once

                def effect() -> Replayable:
                    body, status = func(*args, **kwargs)
                    about = subject_of(kwargs) if subject_of else subject(body)
                    return Replayable(status, body, subject=about)

                hours = current_app.config["FORUM_IDEMPOTENCY_TTL_HOURS"]
                result = run_once(current_session(), scope=scope(kwargs),
                                  key=request.headers.get("Idempotency-Key"), payload=args[-1],
                                  now=clock.now(), ttl=timedelta(hours=hours), effect=effect)
                headers = {"Idempotent-Replayed": "true"} if result.replayed else {}
                return result.body, result.status_code, headers

            return self.doc(parameters=[{
                "in": "header", "name": "Idempotency-Key", "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                "description": "Any unique string per attempt: a retry with the same key "
                               "and body gets the first answer again.",
            }])(wrapper)

        return decorator


def current_session():
    from forum.extensions import db

    return db.session


def _device(*, required: bool):
    """The scanner device of the request's bearer token (None if not one, unless required)."""
    from forum.checkin import devices
    from forum.tokens import bearer

    if not required and "Authorization" not in request.headers:
        return None
    token, now = bearer(request), clock.now()
    if required:
        return devices.authenticate(current_session(), token, now=now)
    return devices.lookup(current_session(), token, now=now)


def _with_event(kwargs: dict) -> dict:
    if "slug" in kwargs:
        from forum.events import service as events

        kwargs["event"] = events.get_event(current_session(), kwargs.pop("slug"))
    return kwargs


def _event_of(kwargs: dict, event_of: Callable[[dict], Any] | None) -> dict:
    if event_of is None:
        return _with_event(kwargs)
    kwargs["event"] = event_of(kwargs)
    return kwargs


def _begin_mode() -> None:
    mode = "BEGIN" if request.method in SAFE_METHODS else "BEGIN IMMEDIATE"
    request.environ["forum.sqlite_token"] = dbmod.set_sqlite_begin_mode(mode)


def _reset_begin_mode(_exc: BaseException | None) -> None:
    token = request.environ.pop("forum.sqlite_token", None)
    if token is not None:
        dbmod.reset_sqlite_begin_mode(token)

