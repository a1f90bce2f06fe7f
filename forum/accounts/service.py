"""Account creation, login and token checks."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from forum.accounts.models import AccessToken, Account, Grant, Role
from forum.audit import service as audit
from forum.errors import Conflict, Forbidden, Unauthorized
from forum.tokens import new_token, token_hash

# Verifying against this keeps a login for an unknown email as slow as for a known one.
_DUMMY_HASH = generate_password_hash("not-a-password")


def create_account(session: Session, *, email: str, name: str, password: str, role: Role,
                   now: datetime, event_id: int | None = None) -> Account:
    email = email.strip().lower()
    if session.scalar(select(Account.id).where(Account.email == email)) is not None:
        raise Conflict(f"An account for {email} exists.", code="account_exists")
    account = Account(email=email, name=name, password_hash=generate_password_hash(password),
                      created_at=now)
    account.grants.append(Grant(role=role, event_id=event_id))
    session.add(account)
    session.flush()
    audit.record(session, actor="system", action="account.create", target_type="account",
                 target_id=account.public_id, now=now, data={"role": role.value})
    return account


def login(session: Session, *, email: str, password: str, now: datetime,
          lifetime: timedelta) -> tuple[Account, str]:
    account = session.scalar(select(Account).where(Account.email == email.strip().lower()))
    valid = check_password_hash(account.password_hash if account else _DUMMY_HASH, password)
    if account is None or not valid or not account.is_active:
        raise Unauthorized("Wrong email or password.", code="invalid_credentials")
    token = new_token()
    session.add(AccessToken(token_hash=token_hash(token), account_id=account.id,
                            created_at=now, expires_at=now + lifetime))
    audit.record(session, actor=f"account:{account.public_id}", action="account.login",
                 target_type="account", target_id=account.public_id, now=now)
    return account, token


def authenticate(session: Session, token: str, *, now: datetime) -> Account:
    row = session.scalar(select(AccessToken).where(AccessToken.token_hash == token_hash(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise Unauthorized("The token is unknown, expired or revoked.", code="invalid_token")
    if not row.account.is_active:
        raise Unauthorized("The account is disabled.", code="invalid_token")
    return row.account


def require_role(account: Account, role: Role, event_id: int | None) -> None:
    if not account.has_role(role, event_id):
        raise Forbidden(f"This needs the {role.value} role for the event.",
                        code="insufficient_role")


def logout(session: Session, token: str, *, now: datetime) -> None:
    row = session.scalar(select(AccessToken).where(AccessToken.token_hash == token_hash(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
