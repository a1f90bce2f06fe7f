"""Badges: signed QR tokens, per-event signing keys, rendering and bulk printing."""
