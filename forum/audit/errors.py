"""Error codes of the audit log (clients branch on these)."""

INVALID_PERIOD = "invalid_period"  # ``since`` is not before ``until``
