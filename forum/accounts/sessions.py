"""How a staff request proves who it is: a bearer token, or the panel's session cookie.

The cookie is HttpOnly and SameSite=Strict (Secure outside development) and holds a token of
its own kind. A write signed in by cookie must also send ``X-CSRF-Token``: an HMAC of the
session token under the app secret, handed to the panel at sign-in and by ``/auth/me``, which a
page on another origin cannot read.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from flask import Request, Response, current_app

from forum import clock
from forum.accounts import errors as codes
from forum.accounts import service
from forum.accounts.models import Account
from forum.errors import Forbidden
from forum.extensions import db
from forum.tokens import bearer

COOKIE = "forum_session"
CSRF_HEADER = "X-CSRF-Token"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token(session_token: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


def credentials(request: Request) -> tuple[str, bool]:
    """(token, came by cookie); 401 when the request carries neither."""
    if "Authorization" in request.headers or COOKIE not in request.cookies:
        return bearer(request), False
    return request.cookies[COOKIE], True


def account_from_request(request: Request) -> Account:
    token, via_cookie = credentials(request)
    account = service.authenticate(db.session, token, now=clock.now(), via_cookie=via_cookie)
    if via_cookie and request.method not in _SAFE:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent, csrf_token(token)):
            raise Forbidden(f"Send the {CSRF_HEADER} header given at sign-in.",
                            code=codes.CSRF_FAILED)
    return account


def set_cookie(response: Response, token: str, *, expires: datetime) -> None:
    response.set_cookie(COOKIE, token, max_age=int((expires - clock.now()).total_seconds()),
                        httponly=True, samesite="Strict", path="/",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])


def clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="Strict",
                           secure=current_app.config["SESSION_COOKIE_SECURE"])
