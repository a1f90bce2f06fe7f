"""Error codes of webhooks."""

WEBHOOK_NOT_FOUND = "webhook_not_found"
URL_REFUSED = "webhook_url_refused"  # scheme, credentials or a private destination
