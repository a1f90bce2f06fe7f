"""Bearer-token checks for the HTTP layer: who is calling, and may they act on this event."""

from flask import Request

from forum import clock
from forum.accounts import service
from forum.accounts.models import Account, Role
from forum.events.models import Event
from forum.extensions import db
from forum.tokens import bearer


def current_account(request: Request) -> Account:
    return service.authenticate(db.session, bearer(request), now=clock.now())


def organizer_of(request: Request, event: Event) -> Account:
    account = current_account(request)
    service.require_role(account, Role.ORGANIZER, event.id)
    return account
