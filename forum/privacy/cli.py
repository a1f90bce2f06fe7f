"""``flask --app app forum purge``: the retention rules, run daily."""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask import current_app

from forum import clock
from forum.errors import DomainError
from forum.extensions import db
from forum.privacy import service


def _moment(value: str | None) -> datetime:
    if value is None:
        return clock.now()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("an ISO time, e.g. 2026-12-01T03:00:00+05:00") from exc
    if moment.tzinfo is None:
        raise click.BadParameter("give the time with its offset (e.g. +05:00 or Z)")
    return moment


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be erased; change nothing.")
@click.option("--now", "at", default=None, metavar="ISO",
              help="Act as of this time (default: now).")
def purge(dry_run: bool, at: str | None) -> None:
    """Erase personal data past FORUM_RETENTION_DAYS (cancellations, rejections, past
    editions) and print the counts."""
    now = _moment(at)
    retention = timedelta(days=current_app.config["FORUM_RETENTION_DAYS"])
    try:
        report = service.purge(db.session, now=now, retention=retention, dry_run=dry_run)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    if dry_run:
        db.session.rollback()
    else:
        from forum.mail import outbox  # the erased people's sent mail loses address and text

        outbox.forget_erased(db.session, now=now)
        db.session.commit()
    click.echo(f"{'dry run: ' if dry_run else ''}as of {now.isoformat()}, "
               f"retention {retention.days} days")
    for line in report.lines():
        click.echo(line)
