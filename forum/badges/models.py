"""Event signing keys and one badge per participant."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import Base, UTCDateTime
from forum.registration.models import Participant


class EventKey(Base):
    """An Ed25519 key pair that signs an event's badges; retired keys no longer verify."""

    __tablename__ = "event_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    # Four hex digits (two bytes in the token). Unique across events, so a kid alone says which
    # event signed a token.
    kid: Mapped[str] = mapped_column(String(4), unique=True)
    # Raw 32-byte private key sealed with AES-GCM under the key-encryption key (forum.keyring):
    # a database dump alone does not reveal it.
    private_key_sealed: Mapped[bytes] = mapped_column(LargeBinary(128))
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Badge(Base):
    """The current badge of a participant; older revisions are revoked by existing."""

    __tablename__ = "badge"
    __table_args__ = (UniqueConstraint("event_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), unique=True)
    # Random and opaque (8 base32 characters = 40 bits); never the row id.
    serial: Mapped[str] = mapped_column(String(8))
    revision: Mapped[int] = mapped_column(default=1)
    # The category at issue: the token carries its id; a category change means a reissue.
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    category_slug: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    participant: Mapped[Participant] = relationship()
