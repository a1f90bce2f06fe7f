"""E-mail to participants: an outbox written in the change's transaction, and its worker."""
