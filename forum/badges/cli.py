"""``flask --app app forum badges``: bulk badge printing into one PDF."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask.cli import with_appcontext

from forum import clock
from forum.errors import DomainError
from forum.extensions import db


@click.command("badges")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="PDF file to write.")
@click.option("--event", "slug", default="digital-bridge", show_default=True)
@click.option("--delegation", help="Invitation code or ISO country code of a delegation.")
@click.option("--company", help="Company name or id.")
@click.option("--category", help="Category slug.")
@click.option("--unprinted", is_flag=True, help="Only badges not printed yet.")
@click.option("--layout", type=click.Choice(["a6", "a4"]), default="a6", show_default=True,
              help="a6: one badge per page; a4: four badges per A4 page.")
@click.option("--no-mark", is_flag=True, help="Do not record the badges as printed.")
@click.option("--jobs", type=click.IntRange(min=1), default=lambda: min(2, os.cpu_count() or 1),
              show_default="CPU count, at most 2", help="Processes drawing pages.")
@with_appcontext
def badges(out: Path, slug: str, delegation: str | None, company: str | None,
           category: str | None, unprinted: bool, layout: str, no_mark: bool,
           jobs: int) -> None:
    """Print the badges of a selection into one PDF, ordered by delegation, then name."""
    from forum.badges.printing import count_selection, mark_printed, selection_pdf
    from forum.badges.service import BadgeFilter, ensure_badges
    from forum.events import service as events

    now = clock.now()
    partial = out.with_name(out.name + ".part")
    try:
        event = events.get_event(db.session, slug)
        filters = BadgeFilter(delegation=delegation, company=company, category=category,
                              unprinted=unprinted)
        issued = ensure_badges(db.session, event, now=now, filters=filters)
        db.session.commit()
        total = count_selection(db.session, event, filters)
        # Written beside the target and renamed at the end: no half-written PDF on failure.
        with partial.open("wb") as fh, click.progressbar(length=total, label="badges") as bar:
            printed = selection_pdf(db.session, event, filters, fh, now=now, layout=layout,
                                    jobs=jobs, progress=bar.update)
        os.replace(partial, out)
        if not no_mark:
            mark_printed(db.session, printed, now=now)
    except DomainError as exc:
        db.session.rollback()
        partial.unlink(missing_ok=True)
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"{len(printed)} badges written to {out} ({issued} newly issued)")


@click.group("badge-keys")
def badge_keys() -> None:
    """Badge signing keys: list, rotate, retire."""


@badge_keys.command("list")
@click.option("--event", "slug", default="digital-bridge", show_default=True)
@with_appcontext
def list_keys(slug: str) -> None:
    """Show the event's keys (the newest unretired one signs new badges)."""
    from sqlalchemy import select

    from forum.badges.models import EventKey
    from forum.events.service import get_event

    event = get_event(db.session, slug)
    for key in db.session.scalars(select(EventKey).where(EventKey.event_id == event.id)
                                  .order_by(EventKey.created_at)):
        state = f"retired {key.retired_at:%Y-%m-%d %H:%M}Z" if key.retired_at else "active"
        click.echo(f"{key.kid}  created {key.created_at:%Y-%m-%d %H:%M}Z  {state}")


@badge_keys.command("rotate")
@click.option("--event", "slug", default="digital-bridge", show_default=True)
@with_appcontext
def rotate(slug: str) -> None:
    """Sign new badges with a fresh key; badges signed before keep scanning until retired."""
    from forum.badges.keys import rotate_key
    from forum.events.service import get_event

    key = rotate_key(db.session, get_event(db.session, slug), clock.now())
    db.session.commit()
    click.echo(f"new signing key {key.kid}; scanners pick it up with their next bundle")


@badge_keys.command("retire")
@click.argument("kid")
@click.option("--event", "slug", default="digital-bridge", show_default=True)
@with_appcontext
def retire(kid: str, slug: str) -> None:
    """Stop accepting badges signed with KID (reprint them first)."""
    from sqlalchemy import select

    from forum.badges.keys import retire_key
    from forum.badges.models import EventKey
    from forum.events.service import get_event

    event = get_event(db.session, slug)
    key = db.session.scalar(select(EventKey).where(EventKey.event_id == event.id,
                                                   EventKey.kid == kid))
    if key is None:
        raise click.ClickException(f"no key {kid} for event {slug}")
    retire_key(db.session, key, now=clock.now())
    db.session.commit()
    click.echo(f"key {kid} retired")
