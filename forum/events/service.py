"""Looking up events and their categories."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from forum.audit import service as audit
from forum.errors import NotFound
from forum.events.models import Admission, Category, Event
from forum.i18n import DEFAULT, LANGUAGES, pick

# Built once: these run on every registration and page load.
_EVENT_BY_SLUG = select(Event).where(Event.slug == bindparam("slug"))
_CATEGORY_BY_SLUG = select(Category).where(Category.event_id == bindparam("event_id"),
                                           Category.slug == bindparam("slug"))


def get_event(session: Session, slug: str) -> Event:
    event = session.scalar(_EVENT_BY_SLUG, {"slug": slug})
    if event is None:
        raise NotFound(f"No event '{slug}'.", code="event_not_found")
    return event


def get_category(session: Session, event: Event, slug: str) -> Category | None:
    return session.scalar(_CATEGORY_BY_SLUG, {"event_id": event.id, "slug": slug})


def self_registration_categories(event: Event) -> list[Category]:
    return [c for c in event.categories if c.admission is Admission.OPEN]


def public_view(event: Event, *, now: datetime) -> dict:
    """What anyone may see of an event: EventOut's fields, open state and open categories."""
    fields = ("slug", "name", "venue", "city", "venue_names", "city_names", "country",
              "timezone", "starts_on", "ends_on", "registration_opens_at",
              "registration_closes_at")
    return {**{name: getattr(event, name) for name in fields},
            "place": {language: event.place_in(language) for language in LANGUAGES},
            "registration_open": event.registration_open(now),
            "categories": self_registration_categories(event)}


def update_place(session: Session, event: Event, changes: dict, *, now: datetime,
                 actor: str) -> Event:
    """Set the venue's and the city's names per language (``venue_names``, ``city_names``);
    the base texts follow them (English first), so readers of ``venue`` see the same place."""
    for field, base in (("venue_names", "venue"), ("city_names", "city")):
        if field in changes:
            setattr(event, field, changes[field])
            setattr(event, base, pick(changes[field], DEFAULT))
    audit.record(session, actor=actor, action="event.update", target_type="event",
                 target_id=event.slug, event_id=event.id, now=now,
                 data={"fields": sorted(changes)})
    return event
