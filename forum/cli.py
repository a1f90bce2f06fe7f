"""``flask --app app forum …`` commands."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from forum import clock
from forum.extensions import db

forum_cli = AppGroup("forum", help="Digital Bridge forum administration.")


@forum_cli.command("demo")
@click.option("--participants", default=2000, show_default=True, type=click.IntRange(min=0))
@click.option("--event", "slug", default="digital-bridge", show_default=True)
@click.option("--seed", default=2026, show_default=True,
              help="Random seed (same seed, same people; codes and tokens stay random).")
def demo(participants: int, slug: str, seed: int) -> None:
    """Build a realistic demo event (30 delegations, 300 companies, N participants)."""
    from forum.demo import build_demo
    from forum.errors import DomainError

    with click.progressbar(length=participants, label="participants") as bar:
        try:
            summary = build_demo(db.session, slug=slug, participants=participants, seed=seed,
                                 now=clock.now(), progress=bar.update)
        except DomainError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(summary)


@forum_cli.command("rotate-kek")
@click.option("--old-key-env", required=True, metavar="NAME",
              help="Environment variable holding the previous key-encryption key (for the "
                   "first KEK of a database sealed before it existed: FORUM_SECRET_KEY).")
def rotate_kek(old_key_env: str) -> None:
    """Re-seal every stored key (badge signing keys, TOTP and webhook secrets) under the current
    FORUM_KEY_ENCRYPTION_KEY; keys already under it are left as they are."""
    import os

    from cryptography.exceptions import InvalidTag
    from flask import current_app

    from forum import keyring
    from forum.accounts import totp
    from forum.badges import keys
    from forum.webhooks import service as webhooks

    # Secrets come through the environment, never the command line (visible in ps).
    old = os.environ.get(old_key_env)
    if not old:
        raise click.ClickException(f"{old_key_env} is not set")
    new = keyring.key_encryption_key(current_app.config)
    try:
        counts = {"badge signing keys": keys.reseal_all(db.session, old=old, new=new),
                  "TOTP secrets": totp.reseal_all(db.session, old=old, new=new),
                  "webhook secrets": webhooks.reseal_all(db.session, old=old, new=new)}
    except InvalidTag as exc:
        db.session.rollback()  # all or nothing: no key is left half re-sealed
        raise click.ClickException(f"a stored key opens neither under {old_key_env} nor "
                                   "under the current key-encryption key; nothing changed"
                                   ) from exc
    db.session.commit()
    for name, (resealed, already) in counts.items():
        click.echo(f"{name}: {resealed} re-sealed, {already} already under the current key")


def init_app(app: Flask) -> None:
    from forum.accounts.cli import create_account, create_admin
    from forum.badges.cli import badge_keys, badges
    from forum.checkin.cli import scanner_token
    from forum.mail.cli import mail_worker, send_reminders
    from forum.privacy.cli import purge

    forum_cli.add_command(create_admin)
    forum_cli.add_command(create_account)
    forum_cli.add_command(badges)
    forum_cli.add_command(badge_keys)
    forum_cli.add_command(scanner_token)
    forum_cli.add_command(purge)
    forum_cli.add_command(mail_worker)
    forum_cli.add_command(send_reminders)
    app.cli.add_command(forum_cli)
