"""Error codes of the privacy tools (clients branch on these)."""

REASON_REQUIRED = "reason_required"  # an erasure names why it was done
INVALID_RETENTION = "invalid_retention"  # a negative retention period
