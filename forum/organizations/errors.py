"""Error codes of delegations and companies (clients branch on these)."""

from forum.errors import Conflict, register_unique

DELEGATION_NOT_FOUND = "delegation_not_found"  # also another delegation, for a scoped caller
DELEGATION_EXISTS = "delegation_exists"  # one delegation per country and event
DELEGATION_NOT_EMPTY = "delegation_not_empty"  # it has members (in any status)
COMPANY_NOT_FOUND = "company_not_found"  # also another company, for a scoped caller
COMPANY_EXISTS = "company_exists"  # one company per name and event
QUOTA_BELOW_TAKEN = "quota_below_taken"  # a quota lower than the seats already held
NOT_PENDING = "not_pending"  # approve/reject of a company that was already decided
REGISTRATION_CLOSED = "registration_closed"

# The unique key is the last guard when two organizers create the same country at once.
register_unique("delegation", ("event_id", "country"), code=DELEGATION_EXISTS,
                title="This country already has a delegation at the event.")


def quota_below_taken(quota: int, taken: int) -> Conflict:
    return Conflict(f"{taken} seats are already taken; the quota cannot be {quota}.",
                    code=QUOTA_BELOW_TAKEN, title="Quota below the seats taken",
                    extra={"taken": taken})
