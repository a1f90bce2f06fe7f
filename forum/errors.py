"""Domain errors and the one handler that renders every failure as RFC 9457 problem+json."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from flask import Flask, Response, json
from flask_limiter.errors import RateLimitExceeded
from sqlalchemy.exc import DBAPIError, IntegrityError
from werkzeug.exceptions import HTTPException

from forum import translate

log = logging.getLogger(__name__)

PROBLEM_MIME = "application/problem+json"


class DomainError(Exception):
    """A rule of the domain said no. Subclasses fix the HTTP status; instances carry the code."""

    status: ClassVar[int] = 400
    code: str = "bad_request"
    title: str = "Bad request"

    def __init__(self, detail: str | None = None, *, code: str | None = None,
                 title: str | None = None, errors: dict[str, list[str]] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail or title or self.title)
        self.detail = detail
        if code:
            self.code = code
        if title:
            self.title = title
        self.errors = errors
        self.extra = extra or {}


class BadRequest(DomainError):
    status = 400


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"
    title = "Authentication required"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    title = "Not allowed"


class NotFound(DomainError):
    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "Conflict"


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"
    title = "The request has invalid fields"


class TooManyRequests(DomainError):
    """429; ``extra["retry_after"]`` (seconds), when given, also becomes a Retry-After header."""

    status = 429
    code = "rate_limited"
    title = "Too many requests"


# Unique constraints → what the client is told when a race reaches the database (the service
# checks first; the constraint is the last guard). Keyed by the text each backend reports:
# PostgreSQL names the constraint (forum.db.NAMING_CONVENTION), SQLite lists its columns.
CONSTRAINT_ERRORS: dict[str, tuple[int, str, str]] = {}


def register_unique(table: str, columns: tuple[str, ...], *, code: str, title: str,
                    status: int = 409) -> None:
    answer = (status, code, title)
    CONSTRAINT_ERRORS[f"uq_{table}_{'_'.join(columns)}"] = answer
    CONSTRAINT_ERRORS["UNIQUE constraint failed: "
                      + ", ".join(f"{table}.{column}" for column in columns)] = answer


def problem(status: int, code: str, title: str, detail: str | None = None,
            errors: dict[str, list[str]] | None = None, headers: dict[str, str] | None = None,
            **extra: Any) -> Response:
    # Title, detail and field messages in the caller's language; the code stays.
    title, detail = translate.problem_texts(code, title, detail)
    if isinstance(errors, dict):
        errors = translate.field_messages(errors)
    body: dict[str, Any] = {
        "type": f"urn:forum:problem:{code}" if code else "about:blank",
        "title": title,
        "status": status,
        "code": code,
        "detail": detail or title,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    resp = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIME)
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def _flatten_messages(messages: Any) -> dict[str, list[str]]:
    """webargs nests messages by location ({"json": {"email": [...]}}); clients want fields."""
    out: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out.setdefault(prefix or "_schema", []).extend(value)
        else:
            out.setdefault(prefix or "_schema", []).append(str(value))

    if isinstance(messages, dict):
        for location, fields in messages.items():
            if location in {"json", "query", "form", "headers", "files", "view_args"}:
                walk("", fields)
            else:
                walk(str(location), fields)
    return out


_HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 409: "conflict",
    413: "payload_too_large", 415: "unsupported_media_type", 422: "validation_failed",
    429: "rate_limited",
}


def init_app(app: Flask) -> None:
    from forum.extensions import db

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        db.session.rollback()
        headers = {}
        if "retry_after" in exc.extra:
            headers["Retry-After"] = str(exc.extra["retry_after"])
        extra = dict(exc.extra)
        errors = extra.pop("errors", exc.errors)  # a domain may shape its own (roster rows)
        return problem(exc.status, exc.code, exc.title, exc.detail, errors,
                       headers=headers, **extra)

    @app.errorhandler(IntegrityError)
    def _integrity(exc: IntegrityError):
        db.session.rollback()
        text = str(exc.orig)
        for name, (status, code, title) in CONSTRAINT_ERRORS.items():
            if name in text:
                return problem(status, code, title)
        log.warning("unmapped integrity error: %s", text)
        return problem(409, "conflict", "The request conflicts with stored data")

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(exc: RateLimitExceeded):
        headers = {}
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            headers["Retry-After"] = str(int(retry_after))
        return problem(429, "rate_limited", "Too many requests",
                       f"Rate limit exceeded ({exc.description}); try again later.",
                       headers=headers)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        data = getattr(exc, "data", None) or {}
        status = exc.code or 500
        code = _HTTP_CODES.get(status, "http_error")
        errors = None
        title = exc.name
        if status == 422 and "messages" in data:
            errors = _flatten_messages(data["messages"])
            title = "The request has invalid fields"
        elif status == 400 and "messages" in data:
            # webargs reports an unparsable JSON body this way.
            code, title = "malformed_json", "The request body is not valid JSON"
        detail = data.get("message") if isinstance(data.get("message"), str) else exc.description
        if detail == type(exc).description:
            detail = None  # werkzeug's generic sentence: the catalog's is written for people
        headers = dict(data.get("headers") or {})
        allow = exc.get_response().headers.get("Allow")  # 405 answers name the methods
        if allow:
            headers["Allow"] = allow
        return problem(status, code, title, detail, errors, headers=headers)

    @app.errorhandler(DBAPIError)
    def _database(exc: DBAPIError):
        db.session.rollback()
        if not exc.connection_invalidated:
            return _unexpected(exc)
        # The connection died under the request (a database restart or failover); the pool
        # has dropped it and its peers, so a retry gets a fresh one.
        log.warning("database connection lost: %s", exc.orig)
        return problem(503, "database_unavailable", "The database is briefly unavailable",
                       "The request was not applied; try again in a moment.",
                       headers={"Retry-After": "1"})

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # Never leak a stack trace; log it with enough context to find it.
        log.exception("unhandled error")
        db.session.rollback()
        return problem(500, "internal_error", "Internal server error",
                       "Something went wrong on our side; the request was not applied.")
