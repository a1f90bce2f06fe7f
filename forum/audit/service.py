"""Recording of audit entries; every organizer or self-service change writes one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from forum.audit.models import AuditEntry

_INSERT = insert(AuditEntry)


def record(session: Session, *, actor: str, action: str, target_type: str, target_id: str,
           now: datetime, event_id: int | None = None, data: dict[str, Any] | None = None,
           ) -> None:
    """Write an entry in the caller's transaction (it lands or rolls back with the change).

    A plain INSERT on the session's connection: entries are never read back in the same
    request, so they need no ORM identity, and this runs on every registration.
    """
    session.connection().execute(_INSERT, {
        "actor": actor, "action": action, "target_type": target_type, "target_id": target_id,
        "event_id": event_id, "data": data or {}, "at": now,
    })
