"""The program: rooms, tracks, sessions, speakers and the published schedule versions.

Texts shown to the public (names, titles, descriptions, bios) are multilingual JSON dicts
``{"kk"?, "ru"?, "en"?}`` read through ``forum.i18n.pick``. Times are stored in UTC.
"""

from __future__ import annotations

import enum
from datetime import datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import Base, UTCDateTime, opaque_id, str_enum
from forum.events.models import Event
from forum.quota import QuotaMixin, quota_constraints
from forum.registration.models import Participant


class SessionKind(enum.StrEnum):
    PLENARY = "plenary"
    KEYNOTE = "keynote"
    PANEL = "panel"
    WORKSHOP = "workshop"
    PITCH = "pitch"
    NETWORKING = "networking"


class SessionStatus(enum.StrEnum):
    DRAFT = "draft"  # planned, not public yet (still counts for conflicts)
    PUBLISHED = "published"  # goes into the next published version
    CANCELLED = "cancelled"  # never conflicts; shown as cancelled once it was public


class Language(enum.StrEnum):
    KK = "kk"
    RU = "ru"
    EN = "en"


class SpeakerRole(enum.StrEnum):
    SPEAKER = "speaker"
    MODERATOR = "moderator"
    PANELIST = "panelist"


class Room(Base):
    __tablename__ = "room"
    __table_args__ = (
        UniqueConstraint("event_id", "slug"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    capacity: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(200), default="")
    interpretation: Mapped[bool] = mapped_column(Boolean, default=False)
    # Daily opening hours in the event's time zone; None: open whenever the event is.
    opens_at: Mapped[time | None] = mapped_column(Time, nullable=True)
    closes_at: Mapped[time | None] = mapped_column(Time, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Track(Base):
    __tablename__ = "track"
    __table_args__ = (UniqueConstraint("event_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    colour: Mapped[str] = mapped_column(String(7))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ProgramSession(Base):
    """A session of the program (the table is not called ``session``: that word is taken)."""

    __tablename__ = "program_session"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        # The overlap searches: a room's sessions by time, an event's by time.
        Index("ix_program_session_room_starts", "room_id", "starts_at"),
        Index("ix_program_session_event_starts", "event_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=opaque_id)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    title: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    kind: Mapped[SessionKind] = mapped_column(str_enum(SessionKind))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"))
    track_id: Mapped[int | None] = mapped_column(ForeignKey("track.id"), nullable=True,
                                                 index=True)
    language: Mapped[Language] = mapped_column(str_enum(Language, 2))
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: the room's
    bookable: Mapped[bool] = mapped_column(Boolean, default=False)  # seats booked, not open
    status: Mapped[SessionStatus] = mapped_column(str_enum(SessionStatus),
                                                  default=SessionStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    room: Mapped[Room] = relationship()
    track: Mapped[Track | None] = relationship()
    speakers: Mapped[list[SessionSpeaker]] = relationship(
        back_populates="session", order_by="SessionSpeaker.position",
        cascade="all, delete-orphan")

    @property
    def seats(self) -> int:
        """The capacity in force: the session's own, or its room's."""
        return self.capacity if self.capacity is not None else self.room.capacity


class Speaker(Base):
    __tablename__ = "speaker"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=opaque_id)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    # The registration that gets the speaker's badge (one profile per registration).
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")  # job title
    organization: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    bio: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    photo: Mapped[str | None] = mapped_column(String(200), nullable=True)  # storage key
    links: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # What the speaker agreed to publish: without ``consent_profile`` nothing is public.
    consent_profile: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_bio: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_photo: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_links: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped on every change: public answers fingerprint the speakers by it (ETags).
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    participant: Mapped[Participant | None] = relationship()


class SpeakerPhoto(Base):
    """A speaker's photo as re-encoded here (JPEG, no metadata); nothing of the upload is kept.

    In the database, not on a disk: every app host serves it, and it goes with the speaker.
    ``Speaker.photo`` holds its ``key`` (SHA-256 of the bytes): the ETag and the cache buster.
    """

    __tablename__ = "speaker_photo"

    speaker_id: Mapped[int] = mapped_column(ForeignKey("speaker.id", ondelete="CASCADE"),
                                            primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SpeakerLink(Base):
    """A speaker's private profile link: only the SHA-256 of its token is kept; renewing it
    replaces the row, so the previous link stops working."""

    __tablename__ = "speaker_link"

    speaker_id: Mapped[int] = mapped_column(ForeignKey("speaker.id", ondelete="CASCADE"),
                                            primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))

    speaker: Mapped[Speaker] = relationship()


class SessionSpeaker(Base):
    __tablename__ = "session_speaker"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("program_session.id", ondelete="CASCADE"), primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speaker.id"), primary_key=True,
                                            index=True)
    role: Mapped[SpeakerRole] = mapped_column(str_enum(SpeakerRole))
    position: Mapped[int] = mapped_column(Integer, default=0)

    session: Mapped[ProgramSession] = relationship(back_populates="speakers")
    speaker: Mapped[Speaker] = relationship()


class ScheduleVersion(Base):
    """A published, frozen program: what the public agenda and the feeds show."""

    __tablename__ = "schedule_version"
    __table_args__ = (UniqueConstraint("event_id", "name"), UniqueConstraint("event_id", "number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random: public caches key on it (a row id repeats across databases and editions).
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=opaque_id)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    # 1, 2, 3… per event; unique, so two publishes at once cannot both follow the same one.
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_by: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[dict] = mapped_column(JSON)  # {"sessions": [...]}, language-neutral
    changelog: Mapped[dict] = mapped_column(JSON)  # {"added": [...], "moved": [...], …}

    event: Mapped[Event] = relationship()


# --- a participant's own program: bookmarks, workshop seats, the personal calendar ----------

class BookingStatus(enum.StrEnum):
    BOOKED = "booked"  # holds one of the session's seats
    WAITLISTED = "waitlisted"  # promoted in arrival order when a seat frees up


class SessionSeats(QuotaMixin, Base):
    """The seat counter of a bookable session: ``taken`` rises with a conditional UPDATE.

    Created at the first booking with the published capacity as ``quota``; a later version
    with another capacity moves ``quota`` (never below the seats already taken).
    """

    __tablename__ = "session_seats"
    __table_args__ = quota_constraints()

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("program_session.id", ondelete="CASCADE"), unique=True)


class SessionBooking(Base):
    """A participant's seat (or place on the waitlist) in a bookable session."""

    __tablename__ = "session_booking"
    __table_args__ = (
        UniqueConstraint("session_id", "participant_id"),
        # The waitlist is served in arrival order; the booked list of a room's door.
        Index("ix_session_booking_queue", "session_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("program_session.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    status: Mapped[BookingStatus] = mapped_column(str_enum(BookingStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    session: Mapped[ProgramSession] = relationship()


class AgendaEntry(Base):
    """A session a participant bookmarked (by the session's public id: the published one)."""

    __tablename__ = "agenda_entry"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("program_session.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class PersonalCalendar(Base):
    """The read-only token of a participant's calendar feed (only its SHA-256 is kept)."""

    __tablename__ = "personal_calendar"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    generation: Mapped[int] = mapped_column(Integer, default=1)  # bumped by each rotation
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
