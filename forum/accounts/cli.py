"""``flask --app app forum create-admin|create-account``: staff accounts from the shell."""

from __future__ import annotations

import click

from forum import clock
from forum.accounts import service
from forum.accounts.models import Role
from forum.errors import DomainError
from forum.extensions import db

_password = click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
                         help="Asked for when not given (at least 10 characters).")


def _create(email: str, name: str, password: str, grants: list[service.GrantSpec]) -> None:
    try:
        account = service.create_account(db.session, email=email, name=name, password=password,
                                         grants=grants, now=clock.now(), actor="cli")
    except DomainError as exc:
        db.session.rollback()
        messages = [m for ms in (exc.errors or {}).values() for m in ms]
        raise click.ClickException("; ".join(messages) or str(exc)) from exc
    db.session.commit()
    roles = ", ".join(sorted(g.role.value for g in account.grants))
    click.echo(f"account {account.email} created ({roles})")


@click.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", default="Administrator")
@_password
def create_admin(email: str, name: str, password: str) -> None:
    """Create a staff account with the admin role (every event)."""
    _create(email, name, password, [service.GrantSpec(Role.ADMIN)])


@click.command("create-account")
@click.option("--email", required=True)
@click.option("--name", default=None, help="Shown in the panel and the audit log.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--event", "event_slug", default=None,
              help="Event slug (every role but admin is given for one event).")
@click.option("--delegation", default=None, help="Delegation id, for a delegation_head.")
@click.option("--company", default=None, help="Company id, for a company_manager.")
@_password
def create_account(email: str, name: str | None, role: str, event_slug: str | None,
                   delegation: str | None, company: str | None, password: str) -> None:
    """Create a staff account with one role, scoped to an event, delegation or company."""
    try:
        spec = service.resolve_grant(db.session, role=role, event=event_slug,
                                     delegation=delegation, company=company)
    except DomainError as exc:
        raise click.ClickException(str(exc.detail or exc)) from exc
    _create(email, name or email, password, [spec])
