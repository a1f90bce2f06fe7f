"""The entrance rule, once: whether a badge stands, whether a zone admits it, and who the
scanner bundle lists.

The online scan (``service.scan``), the bundle's revocation list and display list
(``offline.bundle``) and the tests all call these functions; ``static/scanner/verify.js``
applies the same rule to the bundle offline. One cases file,
``tests/checkin/entrance_rule_cases.json``, drives the server's tests and the verifier's
``node --test`` tests, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from forum.badges.standing import Standing
from forum.badges.standing import revoked_revisions as badges_revoked
from forum.badges.standing import standing as badges_standing
from forum.checkin import rooms
from forum.checkin.devices import ZoneRules
from forum.checkin.models import Direction, Outcome

_OUTCOMES = {Standing.VALID: None, Standing.REVOKED: Outcome.REVOKED,
             Standing.UNKNOWN: Outcome.INVALID}


@dataclass(frozen=True, slots=True)
class BadgeState:
    """What the database knows of a badge when it is scanned."""

    revision: int  # the current revision
    revoked: bool  # the current revision was revoked without a reissue
    confirmed: bool  # the participant's registration is confirmed
    category: str
    delegation_head: bool


def standing(revision: int, badge: BadgeState | None) -> Outcome | None:
    """``invalid`` for a revision never issued, ``revoked`` for one no longer valid, else None.

    A genuine signature on a badge this server does not know (or on a later revision than it
    issued) is never admitted: the key signed it, the records do not hold it.
    """
    found = (Standing.UNKNOWN if badge is None else
             badges_standing(revision, current=badge.revision, revoked=badge.revoked,
                             confirmed=badge.confirmed))
    return _OUTCOMES[found]


def revoked_revisions(badge: BadgeState) -> list[int]:
    """The revisions of a badge that scan as revoked: the bundle's revocation list."""
    return badges_revoked(current=badge.revision, revoked=badge.revoked,
                          confirmed=badge.confirmed)


def listed(badge: BadgeState, zone: ZoneRules) -> bool:
    """Whether the zone's bundle carries the person: a standing badge the zone admits."""
    return (standing(badge.revision, badge) is None
            and zone.admits(badge.category, delegation_head=badge.delegation_head))


def decide(revision: int, badge: BadgeState | None, zone: ZoneRules, *, direction: Direction,
           day: date, moment: datetime, holds_seat: Callable[[int], bool]) -> Outcome:
    """The outcome of a scan before the per-day admission guard (``already_checked_in``).

    Checked in this order, offline too: the badge's standing, then (entries only) the zone's
    categories, a workshop door's bookings (``holds_seat(session_id)``), the zone's hours.
    """
    found = standing(revision, badge)
    if found is not None:
        return found
    assert badge is not None
    if direction is Direction.EXIT:
        return Outcome.OK  # leaving is always allowed
    if not zone.admits(badge.category, delegation_head=badge.delegation_head):
        return Outcome.NOT_ALLOWED
    # A workshop's door: while its session runs, only the people with a seat enter.
    held = rooms.running(zone.sessions, moment)
    if held is not None and not holds_seat(held.session_id):
        return Outcome.NOT_ALLOWED
    if not zone.open_at(day, moment):
        return Outcome.OUTSIDE_HOURS
    return Outcome.OK
