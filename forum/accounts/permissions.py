"""What each staff role may do: the one table every route's access rule is read from."""

from __future__ import annotations

import enum

from forum.accounts.models import Role


class Permission(enum.StrEnum):
    PARTICIPANTS_READ = "participants.read"  # search and see people (personal data)
    PARTICIPANTS_WRITE = "participants.write"  # add, edit, cancel people
    ACCREDITATION = "accreditation"  # approve or reject pending registrations
    ORGANIZATIONS = "organizations"  # delegations and companies: create, edit, approve
    # See delegations and companies with their rosters (scoped roles: only their own).
    ORGANIZATIONS_READ = "organizations.read"
    BADGES = "badges"  # print and reissue badges
    DEVICES = "devices"  # scanner devices of the gates
    FIGURES = "figures"  # live and aggregate figures, no personal data
    CHECKINS = "checkins"  # annul scans, review offline conflicts
    PROGRAM = "program"  # rooms, sessions, speakers
    EVENT = "event"  # the event's own details: the venue and its names
    ACCOUNTS = "accounts"  # staff accounts and their roles
    KEYS = "keys"  # badge signing keys
    AUDIT = "audit"  # read the audit log (it names people and what changed about them)
    PRIVACY = "privacy"  # erase a person's data on request


P = Permission
_ORGANIZER = {P.PARTICIPANTS_READ, P.PARTICIPANTS_WRITE, P.ACCREDITATION, P.ORGANIZATIONS,
              P.ORGANIZATIONS_READ, P.BADGES, P.DEVICES, P.FIGURES, P.CHECKINS, P.AUDIT,
              P.PRIVACY, P.PROGRAM, P.EVENT}
_OWN_GROUP = {P.PARTICIPANTS_READ, P.PARTICIPANTS_WRITE, P.BADGES, P.ORGANIZATIONS_READ}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.ORGANIZER: frozenset(_ORGANIZER),
    Role.ACCREDITATION: frozenset({P.PARTICIPANTS_READ, P.ACCREDITATION}),
    Role.CHECKIN_SUPERVISOR: frozenset({P.PARTICIPANTS_READ, P.DEVICES, P.FIGURES, P.CHECKINS}),
    Role.PROGRAM: frozenset({P.PROGRAM}),
    Role.VIEWER: frozenset({P.FIGURES}),
    # Scoped by their grant to one delegation's or one company's people.
    Role.DELEGATION_HEAD: frozenset(_OWN_GROUP),
    Role.COMPANY_MANAGER: frozenset(_OWN_GROUP),
}

# Roles whose grant names a delegation or a company, and only that one's people.
SCOPED_ROLES = {Role.DELEGATION_HEAD: "delegation", Role.COMPANY_MANAGER: "company"}
# Roles that must search with a longer text (browsing the roster is not their job).
MIN_SEARCH_LENGTH = {Role.CHECKIN_SUPERVISOR: 3}
# Permissions that show personal data: accounts holding them may be required to use 2FA.
PERSONAL_DATA = frozenset({P.PARTICIPANTS_READ, P.PARTICIPANTS_WRITE, P.ORGANIZATIONS_READ,
                           P.ACCOUNTS, P.AUDIT, P.PRIVACY})
