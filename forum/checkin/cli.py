"""``flask --app app forum scanner-token``: a scanner token for a gate, printed alone."""

from __future__ import annotations

import click

from forum import clock
from forum.checkin import devices
from forum.events import service as events
from forum.extensions import db


@click.command("scanner-token")
@click.option("--gate", "gate_slug", required=True, help="Gate slug, e.g. main-entrance.")
@click.option("--event", "event_slug", default="digital-bridge", show_default=True)
@click.option("--name", default=None, help="Device name (default: '<gate> scanner').")
def scanner_token(gate_slug: str, event_slug: str, name: str | None) -> None:
    """Issue a scanner token bound to a gate and print only the token."""
    event = events.get_event(db.session, event_slug)
    gate = devices.get_gate(db.session, event, gate_slug)
    _device, token = devices.issue(db.session, gate=gate, name=name or f"{gate_slug} scanner",
                                   now=clock.now(), actor="cli")
    db.session.commit()
    click.echo(token)
