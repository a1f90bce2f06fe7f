"""Check-in error codes the API documents."""

from forum.errors import Conflict, Forbidden, ValidationFailed

GATE_MISMATCH = "gate_mismatch"
SCAN_TIME_REFUSED = "scan_time_out_of_window"


def gate_mismatch(sent: str, bound: str) -> Forbidden:
    return Forbidden(f"This scanner is bound to gate '{bound}', not '{sent}'.",
                     code=GATE_MISMATCH, title="Wrong gate for this scanner")


def annul_window_passed(minutes: int) -> Conflict:
    return Conflict(f"A scan can be annulled within {minutes} minutes only.",
                    code="annul_window_passed", title="Too late to annul")


def scan_time_refused(errors: dict[str, list[str]]) -> ValidationFailed:
    """422 naming each scan whose ``scanned_at`` lies outside the accepted window."""
    return ValidationFailed(
        "A scan time lies outside the accepted window (too far back, or ahead of the "
        "server's clock); nothing was recorded.",
        code=SCAN_TIME_REFUSED, title="Scan time outside the accepted window", errors=errors)
