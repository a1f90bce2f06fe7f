"""What happened to a registration that its person must be told (by e-mail, forum.mail).

The services where a change happens call ``notify`` in the change's own transaction; the app
factory connects the mail outbox, so this domain never imports the higher one that writes
the messages.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from forum.registration.models import Participant


class Notice(enum.StrEnum):
    RECEIVED = "received"  # registered, waits for an organizer's decision
    CONFIRMED = "confirmed"  # registered with a seat (the badge goes with it)
    WAITLISTED = "waitlisted"  # registered, every seat taken
    PROMOTED = "promoted"  # a seat freed up for a waitlisted person
    APPROVED = "approved"  # an organizer approved a pending registration
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    BADGE_REISSUED = "badge_reissued"
    MANAGE_LINK = "manage_link"  # a fresh manage link, asked for by the person
    REMINDER = "reminder"  # the day before the forum: venue and what to bring


_HOOKS: list[Callable[..., None]] = []


def subscribe(hook: Callable[..., None]) -> None:
    """Run ``hook(session, participant, notice, now=…, **data)`` for every notice."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)


def notify(session: Session, participant: Participant, notice: Notice, *, now: datetime,
           **data: object) -> None:
    for hook in _HOOKS:
        hook(session, participant, notice, now=now, **data)
