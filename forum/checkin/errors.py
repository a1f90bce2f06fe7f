"""Check-in error codes the API documents."""

from forum.errors import Conflict, Forbidden

GATE_MISMATCH = "gate_mismatch"


def gate_mismatch(sent: str, bound: str) -> Forbidden:
    return Forbidden(f"This scanner is bound to gate '{bound}', not '{sent}'.",
                     code=GATE_MISMATCH, title="Wrong gate for this scanner")


def annul_window_passed(minutes: int) -> Conflict:
    return Conflict(f"A scan can be annulled within {minutes} minutes only.",
                    code="annul_window_passed", title="Too late to annul")
