"""Whether a scanned badge revision still stands: the one revocation rule.

The online scan and the scanner bundle's revocation list (forum.checkin.rule) and this
package's own helpers all ask ``standing``; static/scanner/verify.js applies the list it
produces. Cases: tests/checkin/entrance_rule_cases.json.
"""

from __future__ import annotations

import enum


class Standing(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"  # an older revision, a revoked badge, or a holder no longer confirmed
    UNKNOWN = "unknown"  # signed by our key, yet no such badge or revision was ever issued


def standing(revision: int, *, current: int | None, revoked: bool, confirmed: bool) -> Standing:
    """The standing of ``revision`` of a badge whose current revision is ``current`` (None:
    no such badge), revoked or not, worn by a confirmed participant or not."""
    if current is None or revision > current:
        return Standing.UNKNOWN
    if revision < current or revoked or not confirmed:
        return Standing.REVOKED
    return Standing.VALID


def revoked_revisions(*, current: int, revoked: bool, confirmed: bool) -> list[int]:
    """The revisions of one badge that must scan as revoked."""
    return [r for r in range(1, current + 1)
            if standing(r, current=current, revoked=revoked, confirmed=confirmed)
            is Standing.REVOKED]
