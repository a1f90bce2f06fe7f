"""A partner's endpoint: where the event's changes are POSTed, signed with its secret."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import Base, UTCDateTime, opaque_id

# The outbox rows of deliveries carry this kind (and the endpoint in ``webhook_id``).
DELIVERY_KIND = "webhook"
EVENT_TYPES = ("registration.created", "registration.changed", "registration.cancelled",
               "checkin.created")


class WebhookEndpoint(Base):
    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=opaque_id)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON)
    # The HMAC key cannot be hashed (the worker signs with it): it is sealed under the KEK,
    # bound to this row, and shown to the organizer only when it is made.
    secret_sealed: Mapped[bytes] = mapped_column(LargeBinary(128))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Why it stopped (the receiver answered 410 Gone), or "".
    disabled_reason: Mapped[str] = mapped_column(String(200), default="")
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def status(self) -> str:
        return "active" if self.active else "disabled"
