"""Error codes of staff accounts and sign-in (clients branch on these)."""

INVALID_CREDENTIALS = "invalid_credentials"  # wrong email or password (also unknown email)
ACCOUNT_LOCKED = "account_locked"  # too many failures: retry after the lockout
TOTP_REQUIRED = "totp_required"  # the password was right; send the 6-digit code too
INVALID_TOTP = "invalid_totp"
MISSING_TOKEN = "missing_token"
INVALID_TOKEN = "invalid_token"  # unknown, expired or revoked token, or a disabled account
CSRF_FAILED = "csrf_failed"  # a cookie-signed-in write without the matching X-CSRF-Token
INSUFFICIENT_ROLE = "insufficient_role"
SEARCH_TOO_SHORT = "search_too_short"
ACCOUNT_EXISTS = "account_exists"
ACCOUNT_NOT_FOUND = "account_not_found"
INVALID_GRANT = "invalid_grant"  # a role with the wrong scope (a head without a delegation…)
WEAK_PASSWORD = "weak_password"
INVITATION_INVALID = "invitation_invalid"
OWN_ACCOUNT = "own_account"  # an admin cannot demote or deactivate themselves
TOTP_SETUP_REQUIRED = "totp_setup_required"  # turn on two-factor sign-in before this
TOTP_MANDATORY = "totp_mandatory"  # required for this account: only an admin resets it
