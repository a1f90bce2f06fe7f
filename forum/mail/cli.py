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
        click.echo("FORUM_SMTP_HOST is not set: e-mail stays in the outbox; "
                   "webhooks are delivered.", err=True)
    stop = threading.Event()
    if not once:
        # SIGTERM (systemd, docker stop) and Ctrl-C end the loop after the current message.
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    outcome = worker.run(db.session, now=clock.now, once=once, stop=stop)
    click.echo(f"sent {outcome.sent}, failed attempts {outcome.failed}")


@click.command("send-reminders")
@click.option("--event", "slug", default=None,
              help="The event's slug (default: every event whose day-before it is).")
def send_reminders(slug: str | None) -> None:
    """Queue the day-before reminder for every confirmed participant not reminded yet
    (does nothing outside the day before the forum in the event's time zone; for cron)."""
    from sqlalchemy import select

    from forum.errors import DomainError
    from forum.events import service as events
    from forum.events.models import Event
    from forum.mail import reminders

    now = clock.now()
    try:
        chosen = ([events.get_event(db.session, slug)] if slug
                  else list(db.session.scalars(select(Event).order_by(Event.id))))
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    for event in chosen:
        slug_, day, today = event.slug, reminders.reminder_day(event), \
            reminders.local_today(event, now)
        queued = reminders.run(db.session, event, now=now)
        if queued is None:
            click.echo(f"{slug_}: not the day before the forum (reminders go on "
                       f"{day.isoformat()}, today is {today.isoformat()} in {event.timezone}); "
                       "nothing queued")
        else:
            click.echo(f"{slug_}: {queued} reminders queued")
