"""Staff accounts, their roles per event, and their API tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import Base, UTCDateTime, opaque_id, str_enum


class Role(enum.StrEnum):
    ADMIN = "admin"  # everything, every event
    ORGANIZER = "organizer"  # accreditation, companies, delegations, badges of one event
    PROGRAM = "program"  # the program of one event


class Account(Base):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=opaque_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    grants: Mapped[list[Grant]] = relationship(back_populates="account", lazy="selectin")

    def has_role(self, role: Role, event_id: int | None) -> bool:
        for grant in self.grants:
            if grant.role is Role.ADMIN:
                return True
            if grant.role is role and (grant.event_id is None or grant.event_id == event_id):
                return True
        return False


class Grant(Base):
    """A role given to an account, for one event or (event NULL) for all."""

    __tablename__ = "grant"
    __table_args__ = (UniqueConstraint("account_id", "role", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), nullable=True
    )

    account: Mapped[Account] = relationship(back_populates="grants")


class AccessToken(Base):
    """A bearer token issued at login; only its SHA-256 is stored."""

    __tablename__ = "access_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"),
                                            index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    account: Mapped[Account] = relationship()
