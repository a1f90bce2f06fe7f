"""Looking up events and their categories."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from forum.errors import NotFound
from forum.events.models import Admission, Category, Event


def get_event(session: Session, slug: str) -> Event:
    event = session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound(f"No event '{slug}'.", code="event_not_found")
    return event


def get_category(session: Session, event: Event, slug: str) -> Category | None:
    return session.scalar(
        select(Category).where(Category.event_id == event.id, Category.slug == slug)
    )


def self_registration_categories(event: Event) -> list[Category]:
    return [c for c in event.categories if c.admission is Admission.OPEN]
