"""Official country delegations and IT companies: groups whose members register with a code."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import Base, UTCDateTime, opaque_id, str_enum
from forum.errors import register_unique
from forum.quota import QuotaMixin, quota_constraints

# Codes are read aloud and typed on phones: no 0/O, 1/I/L.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def invitation_code(prefix: str) -> str:
    return prefix + "-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


class CompanyStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Delegation(QuotaMixin, Base):
    __tablename__ = "delegation"
    __table_args__ = (*quota_constraints(), UniqueConstraint("event_id", "country"))

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=opaque_id)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))
    head_name: Mapped[str] = mapped_column(String(200), default="")
    head_email: Mapped[str] = mapped_column(String(254), default="")
    invitation_code: Mapped[str] = mapped_column(
        String(16), unique=True, default=lambda: invitation_code("D")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Company(QuotaMixin, Base):
    __tablename__ = "company"
    __table_args__ = (*quota_constraints(), UniqueConstraint("event_id", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=opaque_id)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    website: Mapped[str] = mapped_column(String(300), default="")
    exhibitor: Mapped[bool] = mapped_column(Boolean, default=False)
    booth: Mapped[str] = mapped_column(String(32), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[CompanyStatus] = mapped_column(str_enum(CompanyStatus),
                                                  default=CompanyStatus.PENDING)
    invitation_code: Mapped[str] = mapped_column(
        String(16), unique=True, default=lambda: invitation_code("C")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


register_unique("company", ("event_id", "name"), code="company_exists",
                title="A company with this name is already registered.")
