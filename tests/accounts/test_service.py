"""Accounts: grants and their scopes, sign-in lockout with backoff, password hashing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from forum.accounts import auth
from forum.accounts import service as accounts
from forum.accounts.models import Account, Grant, Role
from forum.accounts.permissions import Permission
from forum.audit.models import AuditEntry
from forum.errors import DomainError
from forum.extensions import db

from .. import factories
from ..auth import PASSWORD, make_account
from ..factories import NOW

LOCKOUT = accounts.Lockout(after=3, minutes=1)


def _login(session, email: str, password: str, at=NOW) -> accounts.LoginOutcome:
    outcome = accounts.login(session, email=email, password=password, now=at,
                             lifetime=timedelta(hours=1), lockout=LOCKOUT, address="10.0.0.7")
    session.commit()
    return outcome


def _code(outcome: accounts.LoginOutcome) -> str | None:
    return outcome.refusal.code if outcome.refusal else None


def test_lockout_after_repeated_failures_doubles_and_ends(session, event):
    account = make_account(session, event=event)
    for _ in range(3):
        assert _code(_login(session, account.email, "wrong password")) == "invalid_credentials"
    assert account.locked_until == NOW + timedelta(minutes=1)
    # Locked: even the right password is refused until the lock ends.
    locked = _login(session, account.email, PASSWORD, at=NOW + timedelta(seconds=30))
    assert _code(locked) == "account_locked" and locked.refusal.extra["retry_after"] == 30
    # One more failure after the lock doubles the next one.
    later = NOW + timedelta(minutes=2)
    assert _code(_login(session, account.email, "wrong again", at=later)) == "invalid_credentials"
    assert account.locked_until == later + timedelta(minutes=2)
    ok = _login(session, account.email, PASSWORD, at=later + timedelta(minutes=3))
    assert ok.refusal is None and ok.token
    assert account.failed_logins == 0 and account.locked_until is None


def test_every_failed_sign_in_is_audited_without_the_password(session, event):
    account = make_account(session, event=event)
    _login(session, account.email, "guess-one")
    _login(session, "nobody@example.kz", "guess-two")
    failures = session.scalars(select(AuditEntry).where(
        AuditEntry.action == "account.login_failed").order_by(AuditEntry.id)).all()
    assert [(f.target_id, f.data["reason"]) for f in failures] == [
        (account.public_id, "wrong_password"), ("-", "unknown_account")]
    assert all(f.data["address"] == "10.0.0.7" for f in failures)
    assert not any("guess" in str(f.data) for f in failures)


def test_passwords_are_argon2id_and_old_hashes_upgrade_on_sign_in(session, event):
    account = make_account(session, event=event)
    assert account.password_hash.startswith("$argon2id$")
    account.password_hash = generate_password_hash("an older password")
    session.commit()
    assert _login(session, account.email, "an older password").refusal is None
    assert account.password_hash.startswith("$argon2id$")
    assert _login(session, account.email, "an older password").refusal is None


@pytest.mark.parametrize("password", ["short", "aaaaaaaaaaaa", "staff99-is-me-1"])
def test_weak_passwords_are_refused(session, event, password):
    with pytest.raises(DomainError) as refused:
        accounts.create_account(session, email="staff99@example.kz", name="S", password=password,
                                grants=[accounts.GrantSpec(Role.ORGANIZER, event.id)], now=NOW)
    assert refused.value.code == "weak_password"


@pytest.mark.parametrize("spec", [
    accounts.GrantSpec(Role.ORGANIZER),  # no event
    accounts.GrantSpec(Role.DELEGATION_HEAD, 1),  # no delegation
    accounts.GrantSpec(Role.COMPANY_MANAGER, 1, delegation_id=1),  # wrong scope
    accounts.GrantSpec(Role.ORGANIZER, 1, company_id=1),  # scope on an unscoped role
])
def test_grants_with_the_wrong_scope_are_refused(spec):
    with pytest.raises(DomainError) as refused:
        accounts.check_grant(spec)
    assert refused.value.code == "invalid_grant"


def test_the_database_refuses_an_unscoped_delegation_head(any_app):
    session = db.session
    event = factories.make_event(session)
    account = make_account(session, event=event)
    session.add(Grant(account_id=account.id, role=Role.DELEGATION_HEAD, event_id=event.id))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_a_delegation_head_is_scoped_to_their_delegation(session, event):
    mine = factories.make_delegation(session, event)
    head = make_account(session, role=Role.DELEGATION_HEAD, event=event, delegation=mine)
    actor = auth.authorize(head, event, [Permission.PARTICIPANTS_READ])
    assert actor.scope == auth.Scope(delegation_ids=frozenset({mine.id}))
    with pytest.raises(DomainError) as refused:
        auth.authorize(head, event, [Permission.ACCREDITATION])
    assert refused.value.code == "insufficient_role"
    with pytest.raises(DomainError):
        auth.authorize(head, event, [Permission.BADGES], whole_event=True)
    other = factories.make_event(session, slug="other-edition")
    with pytest.raises(DomainError):
        auth.authorize(head, other, [Permission.PARTICIPANTS_READ])


def test_an_admin_acts_on_every_event_unscoped(session, event):
    admin = make_account(session, role=Role.ADMIN)
    other = factories.make_event(session, slug="another")
    for each in (event, other):
        actor = auth.authorize(admin, each, list(Permission), whole_event=True)
        assert actor.scope is None
    assert session.scalar(select(Account.id).where(Account.id == admin.id))
