"""Event editions and their participant categories."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import Base, UTCDateTime, str_enum
from forum.i18n import pick, pick_named
from forum.quota import QuotaMixin, quota_constraints


class Admission(enum.StrEnum):
    """How people get into a category."""

    OPEN = "open"  # anyone may self-register
    DELEGATION = "delegation"  # needs a delegation's invitation code
    COMPANY = "company"  # needs a company's invitation code
    ORGANIZER = "organizer"  # added by organizers only (speakers, VIPs, staff…)


class Event(QuotaMixin, Base):
    """An edition of the forum; ``quota`` is the venue capacity."""

    __tablename__ = "event"
    __table_args__ = quota_constraints()

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # ``venue`` and ``city`` are the base texts; the ``*_names`` give them per language
    # ({"kk": "Астана", …}) and win where they have the reader's language (pick_named).
    venue: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    venue_names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    city_names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    country: Mapped[str] = mapped_column(String(2), default="KZ")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Almaty")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    categories: Mapped[list[Category]] = relationship(
        back_populates="event", order_by="Category.position"
    )

    def venue_in(self, locale: str) -> str:
        return pick_named(self.venue_names, locale, self.venue)

    def city_in(self, locale: str) -> str:
        return pick_named(self.city_names, locale, self.city)

    def place_in(self, locale: str) -> str:
        """"Venue, city" in ``locale``, for mail, calendars and badges."""
        return ", ".join(part for part in (self.venue_in(locale), self.city_in(locale)) if part)

    def registration_open(self, now: datetime) -> bool:
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)


class Category(QuotaMixin, Base):
    __tablename__ = "category"
    __table_args__ = (*quota_constraints(), UniqueConstraint("event_id", "slug"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(32))
    # Display names per locale: {"en": "Press", "ru": "Пресса", "kk": "Баспасөз"}.
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    admission: Mapped[Admission] = mapped_column(str_enum(Admission))
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    badge_colour: Mapped[str] = mapped_column(String(7), default="#1f6feb")
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="categories")

    def name_in(self, locale: str) -> str:
        return pick(self.names, locale, default=self.slug)
