"""Webhooks: partners' endpoints told of registrations and check-ins through the outbox."""
