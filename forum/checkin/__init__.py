"""Zones, gates, scanner devices and entrance check-in."""
