"""Staff accounts: creation with scoped grants, sign-in with lockout, tokens, passwords."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from forum.accounts import errors as codes
from forum.accounts import passwords, totp
from forum.accounts.models import AccessToken, Account, Grant, Role
from forum.accounts.permissions import SCOPED_ROLES
from forum.audit import service as audit
from forum.errors import (
    Conflict,
    DomainError,
    NotFound,
    TooManyRequests,
    Unauthorized,
    ValidationFailed,
)
from forum.tokens import new_token, token_hash

LOCK_CAP = timedelta(hours=1)
INVITATION_LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class GrantSpec:
    role: Role
    event_id: int | None = None
    delegation_id: int | None = None
    company_id: int | None = None


@dataclass(frozen=True)
class Lockout:
    after: int = 5  # failures in a row
    minutes: int = 1  # first lock; doubles with each further failure, up to LOCK_CAP


def resolve_grant(session: Session, *, role: str, event: str | None = None,
                  delegation: str | None = None, company: str | None = None) -> GrantSpec:
    """A grant named as clients name things: role name, event slug, public ids."""
    from forum.events.models import Event
    from forum.organizations.models import Company, Delegation

    def bad(message: str) -> ValidationFailed:
        return ValidationFailed(message, code=codes.INVALID_GRANT, errors={"grants": [message]})

    try:
        spec_role = Role(role)
    except ValueError:
        raise bad(f"Unknown role '{role}'.") from None
    event_id = delegation_id = company_id = None
    if event is not None:
        event_id = session.scalar(select(Event.id).where(Event.slug == event))
        if event_id is None:
            raise bad(f"No event '{event}'.")
    for model, public_id, label in ((Delegation, delegation, "delegation"),
                                    (Company, company, "company")):
        if public_id is None:
            continue
        found = session.scalar(select(model.id).where(model.public_id == public_id,
                                                      model.event_id == event_id))
        if found is None:
            raise bad(f"No {label} '{public_id}' in that event.")
        delegation_id, company_id = ((found, company_id) if label == "delegation"
                                     else (delegation_id, found))
    spec = GrantSpec(spec_role, event_id, delegation_id, company_id)
    check_grant(spec)
    return spec


def check_grant(spec: GrantSpec) -> None:
    """Admins may span every event; other roles name one, and heads/managers their scope."""
    problem = None
    scope = SCOPED_ROLES.get(spec.role)
    if spec.role is not Role.ADMIN and spec.event_id is None:
        problem = f"The {spec.role.value} role is given for one event."
    elif (scope == "delegation") != (spec.delegation_id is not None):
        problem = "Only a delegation head's grant names a delegation, and it must."
    elif (scope == "company") != (spec.company_id is not None):
        problem = "Only a company manager's grant names a company, and it must."
    if problem:
        raise ValidationFailed(problem, code=codes.INVALID_GRANT, errors={"grants": [problem]})


INVITED = "!invited"  # the password hash of an account that has not accepted its invitation


def create_account(session: Session, *, email: str, name: str, password: str | None,
                   grants: list[GrantSpec], now: datetime, actor: str = "system") -> Account:
    """A new account; without a password it can only be entered through an invitation."""
    email = email.strip().lower()
    if session.scalar(select(Account.id).where(Account.email == email)) is not None:
        raise Conflict(f"An account for {email} exists.", code=codes.ACCOUNT_EXISTS)
    for spec in grants:
        check_grant(spec)
    if password is not None:
        passwords.check_strength(password, email=email)
    # An unusable hash until an invitation sets a password: nothing verifies against it.
    stored = passwords.hash_password(password) if password is not None else INVITED
    account = Account(email=email, name=name.strip(), password_hash=stored, created_at=now,
                      password_changed_at=now if password is not None else None)
    account.grants.extend(Grant(role=g.role, event_id=g.event_id, delegation_id=g.delegation_id,
                                company_id=g.company_id) for g in grants)
    session.add(account)
    session.flush()
    audit.record(session, actor=actor, action="account.create", target_type="account",
                 target_id=account.public_id, now=now,
                 data={"grants": [_grant_data(g) for g in account.grants]})
    return account


def _grant_data(grant: Grant) -> dict:
    return {"role": grant.role.value, "event_id": grant.event_id,
            "delegation_id": grant.delegation_id, "company_id": grant.company_id}


@dataclass
class LoginOutcome:
    """A sign-in's result. A refusal is data too: it is committed (counter, audit entry)
    before it is raised to the caller."""

    account: Account | None = None
    token: str | None = None
    refusal: DomainError | None = None

    def raise_if_refused(self) -> None:
        if self.refusal is not None:
            raise self.refusal


def login(session: Session, *, email: str, password: str, now: datetime, lifetime: timedelta,
          via_cookie: bool = False, lockout: Lockout = Lockout(),
          address: str | None = None, totp_code: str | None = None) -> LoginOutcome:
    email = email.strip().lower()
    account = session.scalar(select(Account).where(Account.email == email))
    if account is None:
        passwords.dummy_verify(password)  # as slow as a real check: no probing for addresses
        return _refuse(session, None, now=now, address=address, reason="unknown_account")
    if account.locked_until is not None and account.locked_until > now:
        return _locked(session, account, now=now, address=address)
    valid, rehash = passwords.verify(account.password_hash, password)
    reason = "wrong_password" if not valid else "inactive"
    if valid and account.is_active and totp.enabled(account):
        if not totp_code:
            # The password was right: ask for the code without counting a failure.
            return LoginOutcome(refusal=Unauthorized("Enter the 6-digit code of your "
                                                     "authenticator app.",
                                                     code=codes.TOTP_REQUIRED))
        if not totp.check(account, totp_code, now=now):
            valid, reason = False, "wrong_totp"
    if not valid or not account.is_active:
        _count_failure(session, account, now=now, lockout=lockout)
        return _refuse(session, account, now=now, address=address, reason=reason)
    if rehash:
        account.password_hash = passwords.hash_password(password)
    account.failed_logins, account.locked_until = 0, None
    token = issue_token(session, account, now=now, lifetime=lifetime, via_cookie=via_cookie)
    audit.record(session, actor=f"account:{account.public_id}", action="account.login",
                 target_type="account", target_id=account.public_id, now=now,
                 data={"address": address, "via": "cookie" if via_cookie else "bearer"})
    return LoginOutcome(account=account, token=token)


def _count_failure(session: Session, account: Account, *, now: datetime,
                   lockout: Lockout) -> None:
    """One more failure, counted in the database (``failed_logins + 1``, not the value this
    request read): failures sent at once by parallel workers all count on PostgreSQL too."""
    failures = session.execute(
        update(Account).where(Account.id == account.id)
        .values(failed_logins=Account.failed_logins + 1).returning(Account.failed_logins)
        .execution_options(synchronize_session=False)).scalar_one()
    set_committed_value(account, "failed_logins", failures)
    if failures >= lockout.after:
        extra = failures - lockout.after
        account.locked_until = now + min(timedelta(minutes=lockout.minutes) * 2 ** extra,
                                         LOCK_CAP)


def _refuse(session: Session, account: Account | None, *, now: datetime, address: str | None,
            reason: str) -> LoginOutcome:
    audit.record(session, actor="anonymous", action="account.login_failed",
                 target_type="account", target_id=account.public_id if account else "-",
                 now=now, data={"address": address, "reason": reason})
    return LoginOutcome(refusal=Unauthorized("Wrong email or password.",
                                             code=codes.INVALID_CREDENTIALS))


def _locked(session: Session, account: Account, *, now: datetime,
            address: str | None) -> LoginOutcome:
    assert account.locked_until is not None
    wait = max(1, int((account.locked_until - now).total_seconds()))
    audit.record(session, actor="anonymous", action="account.login_failed",
                 target_type="account", target_id=account.public_id, now=now,
                 data={"address": address, "reason": "locked"})
    return LoginOutcome(refusal=TooManyRequests(
        f"Too many failed sign-ins: try again in {wait} seconds.", code=codes.ACCOUNT_LOCKED,
        extra={"retry_after": wait}))


def issue_token(session: Session, account: Account, *, now: datetime, lifetime: timedelta,
                via_cookie: bool = False) -> str:
    token = new_token()
    session.add(AccessToken(token_hash=token_hash(token), account_id=account.id,
                            created_at=now, expires_at=now + lifetime, via_cookie=via_cookie))
    return token


def authenticate(session: Session, token: str, *, now: datetime,
                 via_cookie: bool = False) -> Account:
    row = session.scalar(select(AccessToken).where(AccessToken.token_hash == token_hash(token)))
    if (row is None or row.revoked_at is not None or row.expires_at <= now
            or row.via_cookie != via_cookie):
        raise Unauthorized("The token is unknown, expired or revoked.", code=codes.INVALID_TOKEN)
    if not row.account.is_active:
        raise Unauthorized("The account is disabled.", code=codes.INVALID_TOKEN)
    return row.account


def logout(session: Session, token: str, *, now: datetime) -> None:
    row = session.scalar(select(AccessToken).where(AccessToken.token_hash == token_hash(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now


def change_password(session: Session, account: Account, *, current: str, new: str,
                    now: datetime) -> None:
    """Needs the current password; every other session of the account ends."""
    if not passwords.verify(account.password_hash, current)[0]:
        raise ValidationFailed("The current password is wrong.", code=codes.INVALID_CREDENTIALS,
                               errors={"current_password": ["Wrong password."]})
    set_password(session, account, new, now=now, actor=f"account:{account.public_id}")


def set_password(session: Session, account: Account, new: str, *, now: datetime,
                 actor: str) -> None:
    passwords.check_strength(new, email=account.email, field="new_password")
    account.password_hash = passwords.hash_password(new)
    account.password_changed_at = now
    account.failed_logins, account.locked_until = 0, None
    revoke_tokens(session, account, now=now)
    audit.record(session, actor=actor, action="account.password", target_type="account",
                 target_id=account.public_id, now=now)


def invite(session: Session, account: Account, *, now: datetime, actor: str) -> str:
    """A fresh invitation token (the previous one stops working); shown once, stored hashed."""
    token = new_token()
    account.invitation_hash = token_hash(token)
    account.invitation_expires_at = now + INVITATION_LIFETIME
    audit.record(session, actor=actor, action="account.invite", target_type="account",
                 target_id=account.public_id, now=now)
    return token


def accept_invitation(session: Session, *, token: str, password: str, now: datetime) -> Account:
    """The invited person chooses their password; the invitation is used up."""
    account = session.scalar(select(Account).where(Account.invitation_hash == token_hash(token)))
    if (account is None or account.invitation_expires_at is None
            or account.invitation_expires_at <= now or not account.is_active):
        raise Unauthorized("The invitation is unknown, used or expired; ask for a new one.",
                           code=codes.INVITATION_INVALID)
    account.invitation_hash = account.invitation_expires_at = None
    set_password(session, account, password, now=now, actor=f"account:{account.public_id}")
    return account


def get_account(session: Session, public_id: str) -> Account:
    account = session.scalar(select(Account).where(Account.public_id == public_id))
    if account is None:
        raise NotFound("No such account.", code=codes.ACCOUNT_NOT_FOUND)
    return account


def list_accounts(session: Session) -> list[Account]:
    return list(session.scalars(select(Account).order_by(Account.email)))


def update_account(session: Session, account: Account, changes: dict, *, now: datetime,
                   actor: str, grants: list[GrantSpec] | None = None) -> Account:
    """Name, email, password, active flag and (replacing them all) grants."""
    before = {"email": account.email, "name": account.name, "is_active": account.is_active,
              "totp_required": account.totp_required,
              "grants": [_grant_data(g) for g in account.grants]}
    if "email" in changes and changes["email"].strip().lower() != account.email:
        email = changes["email"].strip().lower()
        if session.scalar(select(Account.id).where(Account.email == email)) is not None:
            raise Conflict(f"An account for {email} exists.", code=codes.ACCOUNT_EXISTS)
        account.email = email
    if "name" in changes:
        account.name = changes["name"].strip()
    if grants is not None:
        for spec in grants:
            check_grant(spec)
        account.grants.clear()
        session.flush()  # the old grants go before the new ones meet the unique constraint
        account.grants.extend(Grant(role=g.role, event_id=g.event_id,
                                    delegation_id=g.delegation_id, company_id=g.company_id)
                              for g in grants)
    if changes.get("is_active") is False:
        revoke_tokens(session, account, now=now)
    if "is_active" in changes:
        account.is_active = changes["is_active"]
    if changes.get("password"):
        set_password(session, account, changes["password"], now=now, actor=actor)
    if "totp_required" in changes:
        account.totp_required = changes["totp_required"]
    if changes.get("totp_reset"):
        totp.disable(session, account, now=now, actor=actor)
    session.flush()
    audit.record(session, actor=actor, action="account.update", target_type="account",
                 target_id=account.public_id, now=now, data={"before": before, "after": {
                     "email": account.email, "name": account.name,
                     "is_active": account.is_active, "totp_required": account.totp_required,
                     "grants": [_grant_data(g) for g in account.grants]}})
    return account


def revoke_tokens(session: Session, account: Account, *, now: datetime) -> None:
    for row in session.scalars(select(AccessToken).where(
            AccessToken.account_id == account.id, AccessToken.revoked_at.is_(None))):
        row.revoked_at = now


def reach(session: Session, account: Account) -> list[dict]:
    """Every event the account may act on, with its permissions and scope there."""
    from forum.accounts.auth import authorize
    from forum.events.models import Event
    from forum.organizations.models import Company, Delegation

    query = select(Event).order_by(Event.starts_on.desc(), Event.slug)
    if not any(g.event_id is None for g in account.grants):
        query = query.where(Event.id.in_({g.event_id for g in account.grants}))
    out = []
    for event in session.scalars(query):
        actor = authorize(account, event, ())
        item = {"slug": event.slug, "name": event.name, "timezone": event.timezone,
                "permissions": sorted(p.value for p in actor.permissions),
                "delegations": None, "companies": None}
        scoped = [g for g in account.grants if g.event_id == event.id
                  and (g.delegation_id or g.company_id)]
        if scoped and not any(g.role not in SCOPED_ROLES for g in account.grants
                              if g.event_id in (None, event.id)):
            ids_d = [g.delegation_id for g in scoped if g.delegation_id]
            ids_c = [g.company_id for g in scoped if g.company_id]
            item["delegations"] = list(session.scalars(
                select(Delegation.public_id).where(Delegation.id.in_(ids_d))))
            item["companies"] = list(session.scalars(
                select(Company.public_id).where(Company.id.in_(ids_c))))
        out.append(item)
    return out
