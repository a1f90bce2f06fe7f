"""The outbox: every message to send, written in the transaction of the change behind it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import Base, UTCDateTime, opaque_id, str_enum


class MessageStatus(enum.StrEnum):
    PENDING = "pending"  # due at next_attempt_at (claimed while lease_until is ahead)
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt; an organizer may retry it
    VOID = "void"  # a recovery request for an address that is not registered: nothing sent


# A recovery request: the worker finds the registration, gives it a fresh manage link and
# turns the row into a ``manage_link`` message (or VOID), so the HTTP answer does the same
# work (one INSERT) whether or not the address is registered.
RECOVERY_KIND = "recovery"
MAILING_KIND = "mailing"  # a row of an organizers' group message


class OutboxMessage(Base):
    __tablename__ = "outbox_message"
    __table_args__ = (
        # The workers' claim: the due pending rows, oldest first.
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        # The organizers' list of one event, by status.
        Index("ix_outbox_message_event_status", "event_id", "status", "id"),
        # A mailing's live counts per status.
        Index("ix_outbox_message_mailing_status", "mailing_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=opaque_id)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                                 nullable=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), nullable=True, index=True)
    # The organizers' group message this one belongs to (forum.mail.mailings).
    mailing_id: Mapped[int | None] = mapped_column(
        ForeignKey("mailing.id", ondelete="SET NULL"), nullable=True)
    kind: Mapped[str] = mapped_column(String(32))
    # A webhook delivery (kind "webhook", forum.webhooks): the endpoint it goes to; its JSON
    # payload is body_text and to_address stays empty.
    webhook_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), nullable=True, index=True)
    locale: Mapped[str] = mapped_column(String(2), default="en")
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300), default="")
    # The bodies hold LINK_MARK where the manage link goes; the link itself is sealed below
    # and put in only when the message is handed to the SMTP server.
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    link_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # The confirmed person's badge PDF and QR, drawn by the worker when it sends.
    with_badge: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[MessageStatus] = mapped_column(str_enum(MessageStatus),
                                                  default=MessageStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A claimed row belongs to one worker until its lease ends (then a crashed worker's row
    # is claimed again); the claim token tells a late worker that the row is no longer its.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    claim_token: Mapped[str | None] = mapped_column(String(24), nullable=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When the bodies of a sent message were emptied (FORUM_MAIL_KEEP_DAYS after sending).
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Mailing(Base):
    """A message organizers sent to a filtered group; its outbox rows carry its id."""

    __tablename__ = "mailing"
    __table_args__ = (Index("ix_mailing_event_created", "event_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=opaque_id)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    sent_by: Mapped[str] = mapped_column(String(64))  # the audit name of the account
    sent_by_email: Mapped[str] = mapped_column(String(254), default="")
    # Per language {"kk": …, "ru": …, "en": …}; placeholders as written.
    subject: Mapped[dict[str, str]] = mapped_column(JSON)
    body: Mapped[dict[str, str]] = mapped_column(JSON)
    audience: Mapped[dict[str, str]] = mapped_column(JSON)  # the filters, as given
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Reminder(Base):
    """The mark that a participant's day-before reminder is in the outbox: one per person,
    whoever runs the command and however often."""

    __tablename__ = "mail_reminder"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
