"""``flask --app app forum mail-worker``: deliver the outbox."""

from __future__ import annotations

import signal
import threading

import click

from forum import clock
from forum.extensions import db


@click.command("mail-worker")
@click.option("--once", is_flag=True,
              help="Deliver what is due now, then exit (for cron and tests).")
def mail_worker(once: bool) -> None:
    """Send the outbox's messages through FORUM_SMTP_HOST (until stopped, or --once)."""
    from flask import current_app

    from forum.mail import worker

    if not current_app.config["FORUM_SMTP_HOST"]:
        click.echo("FORUM_SMTP_HOST is not set: messages stay in the outbox.", err=True)
        return
    stop = threading.Event()
    if not once:
        # SIGTERM (systemd, docker stop) and Ctrl-C end the loop after the current message.
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    outcome = worker.run(db.session, now=clock.now, once=once, stop=stop)
    click.echo(f"sent {outcome.sent}, failed attempts {outcome.failed}")
