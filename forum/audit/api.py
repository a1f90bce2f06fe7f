"""The audit log: who did what to whom, searchable by person, actor, action and time.

An event's log is for staff holding the audit permission over the whole event (never a
delegation head or a company manager); the log across events, including entries of no event
(failed sign-ins, staff accounts), is for admins.
"""

from __future__ import annotations

from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.audit import service
from forum.audit.schemas import AuditPage, AuditQuery, GlobalAuditQuery
from forum.blueprint import Blueprint
from forum.events.models import Event
from forum.extensions import db
from forum.registration import service as registration

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="Audit log")
P = Permission
_INVALID = "Invalid filters (validation_failed), invalid_period"


def _search(query: dict, *, event_id: int | None):
    page, per_page = query.pop("page"), query.pop("per_page")
    filters = service.AuditFilter(**query)
    people = (registration.public_ids_matching(event_id=event_id, text=filters.person)
              if filters.person else None)
    items, total = service.search(db.session, filters, event_id=event_id, page=page,
                                  per_page=per_page, people=people)
    return {"items": items, "total": total, "page": page, "per_page": per_page}


@blp.route("/events/<slug>/audit")
@blp.staff(P.AUDIT, whole_event=True)
@blp.arguments(AuditQuery, location="query")
@blp.response(200, AuditPage)
@blp.alt_response(422, schema="Problem", description=_INVALID)
def event_log(query: dict, *, event: Event, actor: Actor):
    """Search the event's audit log, newest first."""
    return _search(query, event_id=event.id)


# Admins only: their grants cover every event; ACCOUNTS keeps event-bound roles out.
@blp.route("/audit")
@blp.staff(P.AUDIT, P.ACCOUNTS)
@blp.arguments(GlobalAuditQuery, location="query")
@blp.response(200, AuditPage)
@blp.alt_response(422, schema="Problem", description=_INVALID)
def global_log(query: dict, *, actor: Actor):
    """Search the audit log of every event and of none (sign-ins, accounts), newest first."""
    return _search(query, event_id=None)
