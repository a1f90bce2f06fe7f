"""Staff sign-in: exchange email and password for a bearer token."""

from datetime import timedelta

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint

from forum import clock
from forum.accounts import service
from forum.accounts.auth import current_account
from forum.accounts.schemas import AccountOut, LoginIn, TokenOut
from forum.extensions import db, limiter
from forum.limits import login_limit
from forum.tokens import bearer

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Staff sign-in")


@blp.route("/tokens")
class Tokens(MethodView):
    decorators = [limiter.limit(login_limit, methods=["POST"])]

    @blp.arguments(LoginIn)
    @blp.response(201, TokenOut)
    @blp.alt_response(401, schema="Problem", description="invalid_credentials")
    def post(self, data: dict):
        """Sign in and get a bearer token."""
        now = clock.now()
        lifetime = timedelta(hours=current_app.config["FORUM_SESSION_TOKEN_HOURS"])
        account, token = service.login(db.session, email=data["email"],
                                       password=data["password"], now=now, lifetime=lifetime)
        db.session.commit()
        return {"token": token, "expires_at": now + lifetime, "account": account}

    @blp.response(204)
    def delete(self):
        """Sign out: revoke the token of this request."""
        service.logout(db.session, bearer(request), now=clock.now())
        db.session.commit()


@blp.route("/me")
@blp.response(200, AccountOut)
@blp.alt_response(401, schema="Problem", description="invalid_token")
def me():
    """Show the signed-in account."""
    return current_account(request)
