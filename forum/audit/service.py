"""Recording of audit entries; every organizer or self-service change writes one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from forum.audit.models import AuditEntry


def record(session: Session, *, actor: str, action: str, target_type: str, target_id: str,
           now: datetime, event_id: int | None = None, data: dict[str, Any] | None = None,
           ) -> AuditEntry:
    entry = AuditEntry(actor=actor, action=action, target_type=target_type,
                       target_id=target_id, event_id=event_id, data=data or {}, at=now)
    session.add(entry)
    return entry
