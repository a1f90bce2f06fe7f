"""Zones with their rules, gates, scanner devices, every scan, and the admission guard."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import Base, UTCDateTime, opaque_id, str_enum
from forum.i18n import pick_named


class Direction(enum.StrEnum):
    ENTRY = "entry"
    EXIT = "exit"


class Outcome(enum.StrEnum):
    OK = "ok"
    ALREADY_CHECKED_IN = "already_checked_in"
    INVALID = "invalid"
    REVOKED = "revoked"
    NOT_ALLOWED = "not_allowed"
    WRONG_EVENT = "wrong_event"
    OUTSIDE_HOURS = "outside_hours"


class Zone(Base):
    """An area behind one or more gates, with the categories it admits."""

    __tablename__ = "zone"
    __table_args__ = (UniqueConstraint("event_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(32))
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    # Category slugs; an empty list admits every category.
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Heads of delegations (Delegation.head_email = Participant.email) enter whatever their
    # category: the VIP lounge admits them although they register as delegates.
    delegation_heads: Mapped[bool] = mapped_column(Boolean, default=False)
    allows_reentry: Mapped[bool] = mapped_column(Boolean, default=False)
    # A room of the program: while a bookable session runs there, only its booked
    # participants enter (forum.checkin.rooms); attendance is counted per session.
    room_id: Mapped[int | None] = mapped_column(
        ForeignKey("room.id", ondelete="SET NULL"), nullable=True, unique=True)

    hours: Mapped[list[ZoneHours]] = relationship(
        back_populates="zone", order_by="ZoneHours.opens_at", cascade="all, delete-orphan")
    gates: Mapped[list[Gate]] = relationship(back_populates="zone")


class ZoneHours(Base):
    """When a zone is open on one event day; a zone without any hours is always open."""

    __tablename__ = "zone_hours"
    __table_args__ = (UniqueConstraint("zone_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)  # in the event's time zone
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)

    zone: Mapped[Zone] = relationship(back_populates="hours")


class Gate(Base):
    """A door into (or out of) a zone, where scanners stand."""

    __tablename__ = "gate"
    __table_args__ = (UniqueConstraint("event_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))  # the base text of ``names``
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    direction: Mapped[Direction] = mapped_column(str_enum(Direction, 8))

    zone: Mapped[Zone] = relationship(back_populates="gates")

    def name_in(self, locale: str) -> str:
        return pick_named(self.names, locale, self.name)


class ScannerDevice(Base):
    """A phone, laptop or hardware scanner at one gate; only its token's SHA-256 is stored."""

    __tablename__ = "scanner_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=opaque_id)
    gate_id: Mapped[int] = mapped_column(ForeignKey("gate.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    gate: Mapped[Gate] = relationship()


class Checkin(Base):
    """One scan attempt, whatever its outcome; the record of who came in where and when."""

    __tablename__ = "checkin"
    __table_args__ = (
        # The retry guard: a device's nonce names one scan.
        UniqueConstraint("device_id", "nonce"),
        Index("ix_checkin_event_day", "event_id", "event_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=opaque_id)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    device_id: Mapped[int] = mapped_column(ForeignKey("scanner_device.id", ondelete="CASCADE"))
    gate_id: Mapped[int] = mapped_column(ForeignKey("gate.id", ondelete="CASCADE"))
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id", ondelete="CASCADE"))
    direction: Mapped[Direction] = mapped_column(str_enum(Direction, 8))
    nonce: Mapped[str] = mapped_column(String(64))
    # Unknown for codes that are not this event's badges.
    badge_id: Mapped[int | None] = mapped_column(
        ForeignKey("badge.id", ondelete="SET NULL"), nullable=True, index=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True)
    serial: Mapped[str | None] = mapped_column(String(8), nullable=True)
    revision: Mapped[int | None] = mapped_column(nullable=True)
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, 24))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    event_day: Mapped[date] = mapped_column(Date)
    offline: Mapped[bool] = mapped_column(Boolean, default=False)
    # An offline scan the device admitted while another door had already admitted the badge.
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    # For already_checked_in: the scan that holds the admission.
    first_checkin_id: Mapped[int | None] = mapped_column(
        ForeignKey("checkin.id", ondelete="SET NULL"), nullable=True)
    annulled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    annulled_by: Mapped[str | None] = mapped_column(String(64), nullable=True)

    gate: Mapped[Gate] = relationship(foreign_keys=[gate_id])
    device: Mapped[ScannerDevice] = relationship()


class ZoneAdmission(Base):
    """The admission guard: a badge is inside a zone at most once per event day.

    Inserted by an ``ok`` entry, deleted by an exit scan or an annulment. The row lock on the
    badge (PostgreSQL) or the write lock (SQLite) is the first guard; this key is the second.
    """

    __tablename__ = "zone_admission"

    zone_id: Mapped[int] = mapped_column(
        ForeignKey("zone.id", ondelete="CASCADE"), primary_key=True)
    badge_id: Mapped[int] = mapped_column(
        ForeignKey("badge.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    checkin_id: Mapped[int] = mapped_column(
        ForeignKey("checkin.id", ondelete="CASCADE"), index=True)
