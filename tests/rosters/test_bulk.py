"""The import's bulk path and the registration service give the same outcomes."""

from __future__ import annotations

from sqlalchemy import select

from forum.events.models import Category
from forum.registration import service as registration
from forum.registration.models import Participant
from forum.rosters import import_roster
from tests import factories
from tests.factories import NOW

from .conftest import csv_bytes

HEADER = ["First name", "Last name", "Email", "Country", "Category", "Delegation", "Company"]
# (category, group) in arrival order; the event has 8 seats, attendees 3, the delegation 2,
# the company 1; press needs approval.
SEQUENCE = [("attendee", None), ("delegate", "D"), ("press", None), ("delegate", "D"),
            ("delegate", "D"), ("exhibitor", "C"), ("exhibitor", "C"), ("attendee", None),
            ("attendee", None), ("attendee", None), ("vip", None), ("speaker", None),
            ("vip", None), ("volunteer", None), ("press", None)]


def _event(session):
    event = factories.make_event(session, quota=8, category_quotas={"attendee": 3})
    delegation = factories.make_delegation(session, event, quota=2)
    company = factories.make_company(session, event, quota=1)
    return event, {"D": delegation, "C": company}


def _pools(session, event, groups) -> dict:
    categories = session.scalars(select(Category).where(Category.event_id == event.id))
    session.refresh(event)
    for group in groups.values():
        session.refresh(group)
    return {"event": event.taken, **{c.slug: c.taken for c in categories},
            **{key: group.taken for key, group in groups.items()}}


def _statuses(session, event) -> list[str]:
    return [s.value for s in session.scalars(select(Participant.status).where(
        Participant.event_id == event.id).order_by(Participant.id))]


def test_bulk_import_matches_registration_service(any_session):
    session = any_session
    service_event, service_groups = _event(session)
    for n, (category, group) in enumerate(SEQUENCE):
        codes = {}
        if group == "D":
            codes["delegation_code"] = service_groups["D"].invitation_code
        elif group == "C":
            codes["company_code"] = service_groups["C"].invitation_code
        registration.register(session, event=service_event, data=factories.registration_data(
            category=category, email=f"p{n}@example.kz", **codes), now=NOW, by_organizer=True,
            actor="test")

    import_event, import_groups = _event(session)
    rows = [["Aigerim", "Testova", f"p{n}@example.kz", "KZ", category,
             import_groups["D"].name if group == "D" else "",
             import_groups["C"].name if group == "C" else ""]
            for n, (category, group) in enumerate(SEQUENCE)]
    result = import_roster(session, event=import_event, data=csv_bytes(rows, header=HEADER),
                           dry_run=False, now=NOW, actor="test")
    session.commit()

    assert result.errors == [] and result.created == len(SEQUENCE)
    assert _statuses(session, import_event) == _statuses(session, service_event)
    assert _pools(session, import_event, import_groups) == _pools(
        session, service_event, service_groups)
    assert set(_statuses(session, import_event)) == {"confirmed", "waitlisted", "pending"}
