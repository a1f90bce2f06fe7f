"""Aggregate figures for the organizers' dashboard."""
