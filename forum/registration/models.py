"""Participants: one registration per person and event."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import Base, UTCDateTime, opaque_id, str_enum
from forum.errors import register_unique
from forum.events.models import Category, Event
from forum.organizations.models import Company, Delegation
from forum.registration.search_index import SEARCHED, attach, search_key


class Status(enum.StrEnum):
    PENDING = "pending"  # waits for an organizer (press accreditation, …)
    CONFIRMED = "confirmed"  # holds a seat in every pool
    WAITLISTED = "waitlisted"  # a pool was full; promoted when a seat frees up
    REJECTED = "rejected"
    CANCELLED = "cancelled"


# Statuses that block the same email from registering again.
ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED)


class Locale(enum.StrEnum):
    KK = "kk"
    RU = "ru"
    EN = "en"


def _search_key_default(context) -> str:
    return search_key(context.get_current_parameters())


class Participant(Base):
    __tablename__ = "participant"
    __table_args__ = (
        UniqueConstraint("event_id", "email"),
        # The waitlist is served in arrival order within an event.
        Index("ix_participant_waitlist", "event_id", "status", "id"),
        # The organizers' search: each sort order and the common filters walk an index
        # instead of sorting the event's rows (forum.registration.search). Each ends with the
        # id, the sort's tie-breaker, so a page's ids come from the index alone (PostgreSQL's
        # index-only scan; SQLite keeps the rowid in every index anyway).
        Index("ix_participant_event_last_name", "event_id", "last_name", "first_name", "id"),
        Index("ix_participant_event_status_name", "event_id", "status", "last_name",
              "first_name", "id"),
        Index("ix_participant_event_country_name", "event_id", "country", "last_name",
              "first_name", "id"),
        Index("ix_participant_event_created", "event_id", "created_at", "id"),
        # A category belongs to one event: its id alone narrows to the event.
        Index("ix_participant_category_name", "category_id", "last_name", "first_name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=opaque_id)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegation.id"), nullable=True, index=True
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id"), nullable=True, index=True
    )
    status: Mapped[Status] = mapped_column(str_enum(Status))

    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    # Optional second spelling for badges (Cyrillic when the main one is Latin).
    first_name_cyrillic: Mapped[str] = mapped_column(String(100), default="")
    last_name_cyrillic: Mapped[str] = mapped_column(String(100), default="")
    # Normalised (lower-case) address: the uniqueness key within the event.
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(20), default="")
    country: Mapped[str] = mapped_column(String(2))
    organization: Mapped[str] = mapped_column(String(200), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    locale: Mapped[Locale] = mapped_column(str_enum(Locale, 2), default=Locale.EN)

    search_key: Mapped[str] = mapped_column(String(800), default=_search_key_default)

    manage_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When a manage link that only the mail carried was opened: the address is the person's.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    event: Mapped[Event] = relationship()
    category: Mapped[Category] = relationship()
    delegation: Mapped[Delegation | None] = relationship()
    company: Mapped[Company | None] = relationship()

    def refresh_search_key(self) -> None:
        self.search_key = search_key({name: getattr(self, name) for name in SEARCHED})

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def pools(self) -> list:
        """The seat pools this registration draws from, in lock order."""
        return seat_pools(self.event, self.category, self.delegation, self.company)


def seat_pools(event: Event, category: Category, delegation: Delegation | None,
               company: Company | None) -> list:
    """The pools a registration takes a seat in, in the order they are locked."""
    return [pool for pool in (event, category, delegation, company) if pool is not None]


def initial_status(category: Category, take_seat: Callable[[], bool]) -> Status:
    """A new registration waits for approval, holds a seat in every pool, or waits for one."""
    if category.needs_approval:
        return Status.PENDING
    return Status.CONFIRMED if take_seat() else Status.WAITLISTED


attach(Participant.__table__)
register_unique("participant", ("event_id", "email"), code="already_registered",
                title="This email address is already registered for the event.")
