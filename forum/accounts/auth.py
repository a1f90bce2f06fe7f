"""Who a staff caller is for one event: their permissions there and the people they may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import ColumnElement, false, or_

from forum.accounts.errors import INSUFFICIENT_ROLE, SEARCH_TOO_SHORT, TOTP_SETUP_REQUIRED
from forum.accounts.models import Account, Grant, Role
from forum.accounts.permissions import (
    MIN_SEARCH_LENGTH,
    PERSONAL_DATA,
    ROLE_PERMISSIONS,
    SCOPED_ROLES,
    Permission,
)
from forum.errors import Forbidden, ValidationFailed
from forum.events.models import Event


@dataclass(frozen=True)
class Scope:
    """The delegations and companies whose people a scoped actor may see (and only those)."""

    delegation_ids: frozenset[int] = frozenset()
    company_ids: frozenset[int] = frozenset()

    def condition(self, delegation_col, company_col) -> ColumnElement[bool]:
        terms = []
        if self.delegation_ids:
            terms.append(delegation_col.in_(sorted(self.delegation_ids)))
        if self.company_ids:
            terms.append(company_col.in_(sorted(self.company_ids)))
        return or_(*terms) if terms else false()

    def covers(self, delegation_id: int | None, company_id: int | None) -> bool:
        return delegation_id in self.delegation_ids or company_id in self.company_ids


@dataclass(frozen=True)
class Actor:
    """A signed-in staff account acting on one event (or on none, for account management)."""

    account: Account
    event: Event | None
    permissions: frozenset[Permission]
    scope: Scope | None  # None: the whole event
    roles: frozenset[Role]

    @property
    def ref(self) -> str:
        """How audit entries name this actor."""
        return f"account:{self.account.public_id}"

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def check_search(self, text: str | None) -> None:
        """Roles that look people up at a door must type a few letters, not browse."""
        need = max((MIN_SEARCH_LENGTH.get(role, 0) for role in self.roles), default=0)
        if self.scope is None and self.can(Permission.PARTICIPANTS_WRITE):
            need = 0  # also an organizer of the event: browsing is their job
        if need and len((text or "").strip()) < need:
            raise ValidationFailed(f"Type at least {need} characters to search.",
                                   code=SEARCH_TOO_SHORT,
                                   errors={"q": [f"At least {need} characters."]})


def _applies(grant: Grant, event: Event | None) -> bool:
    if grant.event_id is None:
        return True  # granted for every event
    return event is not None and grant.event_id == event.id


def authorize(account: Account, event: Event | None, needed: Iterable[Permission], *,
              whole_event: bool = False, require_totp: bool = False) -> Actor:
    """The account as an actor on ``event``, or 403 when its grants there lack a permission
    (or, for ``whole_event`` work, when they hold it only for one delegation or company)."""
    needed = tuple(needed)
    grants = [g for g in account.grants if _applies(g, event)]
    permissions = frozenset().union(*(ROLE_PERMISSIONS[g.role] for g in grants))
    missing = [p for p in needed if p not in permissions]
    if missing:
        raise Forbidden(f"Your role does not allow this ({', '.join(missing)}).",
                        code=INSUFFICIENT_ROLE)
    if (totp_needed(account, needed, required_for_all=require_totp)
            and account.totp_enabled_at is None):
        raise Forbidden("Turn on two-factor sign-in to work with personal data.",
                        code=TOTP_SETUP_REQUIRED)
    scope = _scope(grants, needed)
    if whole_event and scope is not None:
        raise Forbidden("This acts on the whole event; your role covers your own people.",
                        code=INSUFFICIENT_ROLE)
    return Actor(account=account, event=event, permissions=permissions, scope=scope,
                 roles=frozenset(g.role for g in grants))


def totp_needed(account: Account, permissions: Iterable[Permission], *,
                required_for_all: bool) -> bool:
    """Whether work needing ``permissions`` asks the account for two-factor sign-in first:
    it touches personal data, and FORUM_TOTP_REQUIRED (``required_for_all``) or an admin
    requires it."""
    return ((required_for_all or account.totp_required)
            and bool(PERSONAL_DATA.intersection(permissions)))


def totp_required_of(account: Account) -> bool:
    """Whether the account must sign in with a second factor for some of its work."""
    return totp_needed(account, granted_permissions(account),
                       required_for_all=current_app.config["FORUM_TOTP_REQUIRED"])


def granted_permissions(account: Account) -> frozenset[Permission]:
    """Everything the account's grants allow, in any event."""
    return frozenset().union(*(ROLE_PERMISSIONS[g.role] for g in account.grants))


def _scope(grants: list[Grant], needed: Iterable[Permission]) -> Scope | None:
    """None when an unscoped grant allows the work; else the delegations/companies granted."""
    needed = set(needed)
    allowing = [g for g in grants if needed <= ROLE_PERMISSIONS[g.role]]
    if any(g.role not in SCOPED_ROLES for g in allowing):
        return None
    return Scope(delegation_ids=frozenset(g.delegation_id for g in allowing if g.delegation_id),
                 company_ids=frozenset(g.company_id for g in allowing if g.company_id))
