"""Staff accounts, their roles per event, and their API tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import Base, UTCDateTime, opaque_id, str_enum
from forum.events.models import Event
from forum.organizations.models import Company, Delegation


class Role(enum.StrEnum):
    ADMIN = "admin"  # everything, every event: staff accounts and signing keys included
    ORGANIZER = "organizer"  # participants, delegations, companies, badges of one event
    ACCREDITATION = "accreditation"  # approves or rejects pending registrations
    CHECKIN_SUPERVISOR = "checkin_supervisor"  # scanner devices, live figures, annulments
    PROGRAM = "program"  # the program of one event
    VIEWER = "viewer"  # figures only, no personal data
    DELEGATION_HEAD = "delegation_head"  # the members of one delegation
    COMPANY_MANAGER = "company_manager"  # the staff of one company


class Account(Base):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=opaque_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Sign-in lockout: failures since the last success, and until when sign-in is refused.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Two-factor sign-in (TOTP): the sealed secret, when it was confirmed, the last time step
    # accepted (a code works once), and whether an admin requires it of this account.
    totp_secret_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    totp_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # A pending invitation: the SHA-256 of its token and when it stops working.
    invitation_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    invitation_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    grants: Mapped[list[Grant]] = relationship(back_populates="account", lazy="selectin",
                                               cascade="all, delete-orphan")


class Grant(Base):
    """A role given to an account: for one event or (event NULL, admins) for all; a delegation
    head's and a company manager's grant also names their delegation or company."""

    __tablename__ = "grant"
    __table_args__ = (
        UniqueConstraint("account_id", "role", "event_id"),
        # A delegation head's grant names a delegation and only theirs does; the same for
        # company managers: an unscoped head would otherwise see the whole event.
        CheckConstraint("(role = 'delegation_head') = (delegation_id IS NOT NULL)",
                        name="delegation_scope"),
        CheckConstraint("(role = 'company_manager') = (company_id IS NOT NULL)",
                        name="company_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(str_enum(Role, 24))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), nullable=True
    )
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegation.id", ondelete="CASCADE"), nullable=True, index=True)
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), nullable=True, index=True)

    account: Mapped[Account] = relationship(back_populates="grants")
    # Loaded with the grant: answers name the event by slug and the scope by public id.
    event: Mapped[Event | None] = relationship(lazy="joined")
    delegation: Mapped[Delegation | None] = relationship(lazy="joined")
    company: Mapped[Company | None] = relationship(lazy="joined")


class AccessToken(Base):
    """A bearer token issued at login; only its SHA-256 is stored."""

    __tablename__ = "access_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"),
                                            index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A browser session (cookie, CSRF-checked writes) or a bearer token for automation.
    via_cookie: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    account: Mapped[Account] = relationship()
