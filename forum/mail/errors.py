"""Error codes of the outbox."""

MESSAGE_NOT_FOUND = "message_not_found"
NOT_FAILED = "message_not_failed"  # only a failed message can be retried
INVALID_PROOF = "invalid_email_proof"  # the e-mail proof of a manage link does not match
UNKNOWN_PLACEHOLDER = "unknown_placeholder"  # a {name} in a mailing that nothing fills
EMPTY_MAILING = "empty_mailing"  # no language has both a subject and a body
EMPTY_AUDIENCE = "empty_audience"  # the filters match nobody: nothing to send
UNKNOWN_AUDIENCE = "unknown_audience"  # a category, delegation or company that is not there
