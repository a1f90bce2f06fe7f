"""Staff sign-in: a bearer token for scripts, a session cookie for the panel; passwords."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, jsonify, request

from forum import clock
from forum.accounts import auth, service, sessions, totp
from forum.accounts.auth import Actor
from forum.accounts.schemas import (
    AccountOut,
    LoginIn,
    MeOut,
    PasswordChangeIn,
    SessionOut,
    TokenOut,
    TotpCodeIn,
    TotpOffIn,
    TotpSetupOut,
)
from forum.blueprint import Blueprint
from forum.extensions import db, limiter
from forum.limits import login_limit

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Staff sign-in")


def _sign_in(data: dict, *, via_cookie: bool):
    now = clock.now()
    lifetime = timedelta(hours=current_app.config["FORUM_SESSION_TOKEN_HOURS"])
    config = current_app.config
    outcome = service.login(
        db.session, email=data["email"], password=data["password"], now=now, lifetime=lifetime,
        via_cookie=via_cookie, address=request.remote_addr, totp_code=data.get("totp"),
        lockout=service.Lockout(after=config["FORUM_LOGIN_LOCKOUT_AFTER"],
                                minutes=config["FORUM_LOGIN_LOCKOUT_MINUTES"]))
    db.session.commit()  # a refusal is committed too: the failure counter and its audit entry
    outcome.raise_if_refused()
    return outcome, now + lifetime


@blp.route("/tokens", methods=["POST"])
@limiter.limit(login_limit)
@blp.public
@blp.arguments(LoginIn)
@blp.response(201, TokenOut)
@blp.alt_response(401, schema="Problem", description="invalid_credentials, totp_required")
@blp.alt_response(429, schema="Problem", description="rate_limited, account_locked")
def create_token(data: dict):
    """Sign in and get a bearer token (for scripts and integrations)."""
    outcome, expires = _sign_in(data, via_cookie=False)
    return {"token": outcome.token, "expires_at": expires, "account": outcome.account}


@blp.route("/tokens", methods=["DELETE"])
@blp.staff()
@blp.response(204)
def delete_token(*, actor: Actor):
    """Sign out: revoke the token of this request."""
    service.logout(db.session, sessions.credentials(request)[0], now=clock.now())
    db.session.commit()


@blp.route("/session", methods=["POST"])
@limiter.limit(login_limit)
@blp.public
@blp.arguments(LoginIn)
@blp.response(201, SessionOut)
@blp.alt_response(401, schema="Problem", description="invalid_credentials, totp_required")
@blp.alt_response(429, schema="Problem", description="rate_limited, account_locked")
def create_session(data: dict):
    """Sign in to the panel: sets an HttpOnly session cookie; send csrf_token on writes."""
    outcome, expires = _sign_in(data, via_cookie=True)
    assert outcome.token is not None
    body = SessionOut().dump({"account": outcome.account, "expires_at": expires,
                              "csrf_token": sessions.csrf_token(outcome.token)})
    response = jsonify(body)
    response.status_code = 201
    sessions.set_cookie(response, outcome.token, expires=expires)
    return response


@blp.route("/session", methods=["DELETE"])
@blp.staff()
@blp.response(204)
def delete_session(*, actor: Actor):
    """Sign out of the panel: the session ends on the server and the cookie is cleared."""
    service.logout(db.session, sessions.credentials(request)[0], now=clock.now())
    db.session.commit()
    response = current_app.response_class(status=204)
    sessions.clear_cookie(response)
    return response


@blp.route("/me")
@blp.staff()
@blp.response(200, MeOut)
def me(*, actor: Actor):
    """Show the signed-in account, what it may do in each event (the panel shows just that)
    and, for a cookie session, the CSRF token."""
    token, via_cookie = sessions.credentials(request)
    account = actor.account
    return {"account": account, "events": service.reach(db.session, account),
            "totp_required": auth.totp_required_of(account),
            "csrf_token": sessions.csrf_token(token) if via_cookie else None}


@blp.route("/password", methods=["POST"])
@blp.staff()
@blp.arguments(PasswordChangeIn)
@blp.response(200, AccountOut)
@blp.alt_response(422, schema="Problem", description="invalid_credentials, weak_password")
def change_password(data: dict, *, actor: Actor):
    """Change my password; every session of the account ends, so sign in again."""
    service.change_password(db.session, actor.account, current=data["current_password"],
                            new=data["new_password"], now=clock.now())
    db.session.commit()
    return actor.account


@blp.route("/totp", methods=["POST"])
@blp.staff()
@blp.response(201, TotpSetupOut)
@blp.alt_response(409, schema="Problem", description="totp_already_enabled")
def begin_totp(*, actor: Actor):
    """Start two-factor sign-in: scan the URI into an authenticator app, then confirm."""
    secret, uri = totp.begin(db.session, actor.account, now=clock.now())
    db.session.commit()
    return {"secret": secret, "otpauth_uri": uri}


@blp.route("/totp/confirm", methods=["POST"])
@blp.staff()
@blp.arguments(TotpCodeIn)
@blp.response(200, AccountOut)
@blp.alt_response(409, schema="Problem", description="totp_not_started")
@blp.alt_response(422, schema="Problem", description="invalid_totp")
def confirm_totp(data: dict, *, actor: Actor):
    """Turn two-factor sign-in on with the first code the app shows."""
    totp.confirm(db.session, actor.account, data["code"], now=clock.now())
    db.session.commit()
    return actor.account


@blp.route("/totp", methods=["DELETE"])
@blp.staff()
@blp.arguments(TotpOffIn)
@blp.response(200, AccountOut)
@blp.alt_response(409, schema="Problem", description="totp_mandatory")
@blp.alt_response(422, schema="Problem", description="invalid_credentials")
def disable_totp(data: dict, *, actor: Actor):
    """Turn two-factor sign-in off (needs the password; not where it is required)."""
    totp.turn_off(db.session, actor.account, password=data["password"],
                  required=auth.totp_required_of(actor.account), now=clock.now())
    db.session.commit()
    return actor.account
