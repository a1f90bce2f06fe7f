"""Error codes of the outbox."""

MESSAGE_NOT_FOUND = "message_not_found"
NOT_FAILED = "message_not_failed"  # only a failed message can be retried
INVALID_PROOF = "invalid_email_proof"  # the e-mail proof of a manage link does not match
