"""The one way tests get staff: an account with a grant, and a signed-in bearer header."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy.orm import Session

from forum.accounts import service as accounts
from forum.accounts.models import Account, Role
from forum.accounts.permissions import SCOPED_ROLES

from .factories import NOW

PASSWORD = "correct horse battery 1"
_seq = itertools.count(1)


def make_account(session: Session, *, role: Role = Role.ORGANIZER, event=None, delegation=None,
                 company=None, email: str | None = None, password: str = PASSWORD) -> Account:
    """An account holding one role (for ``event``; a head's for ``delegation``…)."""
    scope = SCOPED_ROLES.get(role)
    spec = accounts.GrantSpec(
        role, event_id=None if role is Role.ADMIN else event.id,
        delegation_id=delegation.id if scope == "delegation" else None,
        company_id=company.id if scope == "company" else None)
    account = accounts.create_account(
        session, email=email or f"staff{next(_seq)}@example.kz", name="Staff Member",
        password=password, grants=[spec], now=NOW)
    session.commit()
    return account


def bearer(session: Session, account: Account) -> dict[str, str]:
    """Authorization headers of a fresh token of ``account`` (issued in the service)."""
    token = accounts.issue_token(session, account, now=NOW, lifetime=timedelta(hours=1))
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def staff_headers(session: Session, role: Role = Role.ORGANIZER, **grant) -> dict[str, str]:
    return bearer(session, make_account(session, role=role, **grant))


def sign_in(client, email: str, password: str = PASSWORD) -> dict[str, str]:
    """Through the API, as a script would."""
    r = client.post("/api/v1/auth/tokens", json={"email": email, "password": password})
    assert r.status_code == 201, r.get_data(as_text=True)
    return {"Authorization": f"Bearer {r.get_json()['token']}"}
