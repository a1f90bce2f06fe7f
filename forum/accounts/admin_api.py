"""Staff accounts (admins): create with scoped grants or an invitation, edit, deactivate."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask.views import MethodView

from forum import clock
from forum.accounts import service
from forum.accounts.auth import Actor
from forum.accounts.errors import OWN_ACCOUNT
from forum.accounts.models import Account
from forum.accounts.permissions import Permission
from forum.accounts.schemas import (
    AccountCreated,
    AccountIn,
    AccountPatch,
    AccountView,
    InvitationAcceptIn,
)
from forum.blueprint import Blueprint
from forum.errors import Conflict
from forum.extensions import db, limiter
from forum.limits import login_limit

blp = Blueprint("accounts", __name__, url_prefix="/api/v1",
                description="Staff accounts and their roles (admins)")


@dataclass
class _Created:
    """An account with the invitation link shown once (AccountCreated reads both)."""

    account: Account
    invitation_url: str | None

    def __getattr__(self, name: str):
        return getattr(self.account, name)


def _grants(items: list[dict]) -> list[service.GrantSpec]:
    return [service.resolve_grant(db.session, **item) for item in items]


def _invitation_url(token: str) -> str:
    # In the fragment: the token never reaches a server log or a Referer header.
    return f"{current_app.config['FORUM_PUBLIC_URL']}/admin#invite={token}"


@blp.route("/accounts")
class Accounts(MethodView):
    @blp.staff(Permission.ACCOUNTS)
    @blp.response(200, AccountView(many=True))
    def get(self, *, actor: Actor):
        """List the staff accounts with their grants."""
        return service.list_accounts(db.session)

    @blp.staff(Permission.ACCOUNTS)
    @blp.arguments(AccountIn)
    @blp.response(201, AccountCreated)
    @blp.alt_response(409, schema="Problem", description="account_exists")
    @blp.alt_response(422, schema="Problem", description="invalid_grant, weak_password, …")
    def post(self, data: dict, *, actor: Actor):
        """Create an account; without a password, answer an invitation link (valid 7 days)."""
        now = clock.now()
        account = service.create_account(
            db.session, email=data["email"], name=data["name"], password=data["password"],
            grants=_grants(data["grants"]), now=now, actor=actor.ref)
        url = None
        if data["password"] is None:
            url = _invitation_url(service.invite(db.session, account, now=now, actor=actor.ref))
        db.session.commit()
        return _Created(account, url)


@blp.route("/accounts/<account_id>")
class AccountResource(MethodView):
    @blp.staff(Permission.ACCOUNTS)
    @blp.arguments(AccountPatch)
    @blp.response(200, AccountView)
    @blp.alt_response(404, schema="Problem", description="account_not_found")
    @blp.alt_response(409, schema="Problem", description="account_exists")
    @blp.alt_response(422, schema="Problem", description="invalid_grant, weak_password, …")
    def patch(self, changes: dict, account_id: str, *, actor: Actor):
        """Edit an account; ``grants`` replaces all of them; ``is_active: false`` signs it out."""
        account = service.get_account(db.session, account_id)
        if account.id == actor.account.id and ("grants" in changes or "is_active" in changes):
            raise Conflict("Another admin changes your own roles.", code=OWN_ACCOUNT)
        grants = _grants(changes.pop("grants")) if "grants" in changes else None
        service.update_account(db.session, account, changes, now=clock.now(), actor=actor.ref,
                               grants=grants)
        db.session.commit()
        return account

    @blp.staff(Permission.ACCOUNTS)
    @blp.response(204)
    @blp.alt_response(404, schema="Problem", description="account_not_found")
    @blp.alt_response(409, schema="Problem", description="own_account")
    def delete(self, account_id: str, *, actor: Actor):
        """Deactivate an account: it can no longer sign in and its sessions end (kept for the
        audit trail)."""
        account = service.get_account(db.session, account_id)
        if account.id == actor.account.id:
            raise Conflict("You cannot deactivate your own account.", code=OWN_ACCOUNT)
        service.update_account(db.session, account, {"is_active": False}, now=clock.now(),
                               actor=actor.ref)
        db.session.commit()


@blp.route("/accounts/<account_id>/invitation", methods=["POST"])
@blp.staff(Permission.ACCOUNTS)
@blp.response(201, AccountCreated)
@blp.alt_response(404, schema="Problem", description="account_not_found")
def reinvite(account_id: str, *, actor: Actor):
    """A new invitation link for an account (the earlier one stops working)."""
    account = service.get_account(db.session, account_id)
    token = service.invite(db.session, account, now=clock.now(), actor=actor.ref)
    db.session.commit()
    return _Created(account, _invitation_url(token))


@blp.route("/auth/invitations/accept", methods=["POST"])
@limiter.limit(login_limit)
@blp.public
@blp.arguments(InvitationAcceptIn)
@blp.response(200, AccountView)
@blp.alt_response(401, schema="Problem", description="invitation_invalid")
@blp.alt_response(422, schema="Problem", description="weak_password")
def accept_invitation(data: dict):
    """Choose a password with the token of an invitation link; then sign in as usual."""
    account = service.accept_invitation(db.session, token=data["token"],
                                        password=data["password"], now=clock.now())
    db.session.commit()
    return account
