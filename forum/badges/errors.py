"""Error codes of badges (clients branch on these)."""

REVISION_LIMIT = "revision_limit"  # the badge token holds 16 bits of revision
