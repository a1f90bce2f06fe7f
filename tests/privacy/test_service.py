"""Erasure and the retention purge, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEntry
from forum.badges import service as badges
from forum.checkin import devices
from forum.checkin.models import Checkin, ScannerDevice
from forum.desk import service as desk
from forum.errors import ValidationFailed
from forum.events.models import Category
from forum.extensions import db
from forum.idempotency import IdempotencyRecord
from forum.privacy import service as privacy
from forum.registration import service as registration
from forum.registration.models import Participant, Status
from tests.checkin.conftest import scan

from .. import factories

NOW = factories.NOW
RETENTION = timedelta(days=90)


def erase(session, participant, **kw):
    promoted = privacy.erase_participant(session, participant, now=kw.pop("now", NOW),
                                         actor="account:org", reason="asked by email")
    session.commit()
    return promoted


def entries(session, participant, action=None):
    query = select(AuditEntry).where(AuditEntry.target_id == participant.public_id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(session.scalars(query.order_by(AuditEntry.id)))


def test_erase_replaces_personal_data_and_keeps_statistics(session, event):
    delegation = factories.make_delegation(session, event)
    person = factories.make_participant(
        session, event, category="delegate", delegation_code=delegation.invitation_code,
        first_name="Aigerim", last_name="Sadykova", first_name_cyrillic="Айгерим",
        last_name_cyrillic="Садыкова", email="aigerim@example.kz", phone="+77011234567",
        organization="Kaspi", job_title="CTO", country="UZ")
    desk.edit(session, person, {"phone": "+77017654321"}, reason="typo", now=NOW,
              actor="account:org")
    erase(session, person)
    row = session.get(Participant, person.id)
    assert (row.first_name, row.last_name, row.first_name_cyrillic, row.last_name_cyrillic,
            row.phone, row.organization, row.job_title) == ("",) * 7
    assert row.email == f"erased-{row.public_id}@erased.invalid"
    assert "aigerim" not in row.search_key and "kaspi" not in row.search_key
    assert registration.is_erased(row)
    # What statistics need stays.
    assert (row.country, row.category.slug, row.delegation_id) == ("UZ", "delegate",
                                                                   delegation.id)
    assert row.status is Status.CANCELLED
    edit = entries(session, row, "registration.edit")[0]
    assert edit.data["before"] == {"phone": None} and edit.data["reason"] == "typo"
    fact = entries(session, row, "participant.erase")
    assert [e.data for e in fact] == [{"reason": "asked by email"}]
    assert fact[0].actor == "account:org"


def test_erase_frees_the_seat_for_the_first_waitlisted(session):
    event = factories.make_event(session, category_quotas={"attendee": 1})
    holder = factories.make_participant(session, event)
    first = factories.make_participant(session, event)
    second = factories.make_participant(session, event)
    assert (first.status, second.status) == (Status.WAITLISTED, Status.WAITLISTED)
    promoted = erase(session, holder)
    assert promoted.id == first.id
    assert session.get(Participant, first.id).status is Status.CONFIRMED
    assert session.get(Participant, second.id).status is Status.WAITLISTED
    attendee = session.scalar(select(Category).where(Category.event_id == event.id,
                                                     Category.slug == "attendee"))
    assert attendee.taken == 1


def test_erase_revokes_the_badge_and_checkins_stay(client, session, scanner, badge_code):
    token = scanner()
    person, code = badge_code()
    assert scan(client, token, code).json["status"] == "ok"
    erase(session, person)
    assert badges.current_badge(session, person).revoked_at == NOW
    answer = scan(client, token, code).json
    assert answer["status"] == "revoked"
    assert answer["participant"]["display_name"].strip() == ""
    assert session.scalar(select(func.count()).select_from(Checkin).where(
        Checkin.participant_id == person.id)) == 2


def test_erasing_twice_changes_nothing(session, event):
    person = factories.make_participant(session, event)
    erase(session, person)
    assert erase(session, person, now=NOW + timedelta(hours=1)) is None
    assert len(entries(session, person, "participant.erase")) == 1
    assert len(entries(session, person, "registration.cancel")) == 1


def test_erase_needs_a_reason(session, event):
    person = factories.make_participant(session, event)
    with pytest.raises(ValidationFailed) as caught:
        privacy.erase_participant(session, person, now=NOW, actor="x", reason="  ")
    assert caught.value.code == "reason_required"


def test_self_cancellation_erases_through_the_same_path(session, event):
    person = factories.make_participant(session, event, email="me@example.kz")
    desk.edit(session, person, {"organization": "Halyk"}, reason="x", now=NOW, actor="a")
    registration.cancel(session, person, now=NOW, erase=True)
    session.commit()
    assert registration.is_erased(person) and person.organization == ""
    assert entries(session, person, "registration.edit")[0].data["after"] == {
        "organization": None}


# --- the purge ---------------------------------------------------------------------------

@pytest.fixture
def editions(session, event, gates):
    """The current event (ten days long) with a rejected, two cancelled and a live person;
    and a past edition (the `event` fixture, moved to have ended 100 days ago) with a person,
    a badge, a scanner device and a stored registration answer."""
    current = factories.make_event(session, ends_on=factories.TODAY + timedelta(days=10))
    pending = factories.make_participant(session, current, category="press")
    registration.decide(session, pending, approve=False, now=NOW, actor="org")
    cancelled = factories.make_participant(session, current)
    registration.cancel(session, cancelled, now=NOW, actor="org")
    recent = factories.make_participant(session, current)
    registration.cancel(session, recent, now=NOW + timedelta(days=20), actor="org")
    live = factories.make_participant(session, current)
    event.starts_on = factories.TODAY - timedelta(days=101)
    event.ends_on = factories.TODAY - timedelta(days=100)
    old = factories.make_participant(session, event, email="old@example.kz")
    badges.ensure_badge(session, old, now=NOW)
    devices.issue(session, gate=gates["main-entrance"], name="lane", now=NOW, actor="org")
    session.add(IdempotencyRecord(scope=f"registration:{event.id}", key_hash="k" * 64,
                                  request_hash="h", status_code=201, sealed_body=b"x",
                                  created_at=NOW))
    session.commit()
    return {"rejected": pending, "cancelled": cancelled, "recent": recent, "live": live,
            "old": old, "past": event, "current": current}


def snapshot(session):
    return (session.execute(select(Participant.email, Participant.status)
                            .order_by(Participant.id)).all(),
            session.execute(select(AuditEntry.id, AuditEntry.data)
                            .order_by(AuditEntry.id)).all(),
            session.scalars(select(ScannerDevice.token_hash)).all(),
            session.scalar(select(func.count()).select_from(IdempotencyRecord)))


def test_purge_dry_run_counts_and_writes_nothing(session, editions):
    before = snapshot(session)
    report = privacy.purge(session, now=NOW + timedelta(days=91), retention=RETENTION,
                           dry_run=True)
    session.commit()
    assert snapshot(session) == before
    assert report.past_events == [editions["past"].slug]
    assert (report.participants_erased, report.cancellations_erased,
            report.rejections_erased, report.badges_revoked, report.scanner_tokens_deleted,
            report.idempotency_records_deleted) == (1, 1, 1, 1, 1, 1)
    assert report.audit_entries_stripped == 0  # nothing personal recorded about them yet


def test_purge_erases_exactly_the_right_rows(session, editions):
    old = editions["old"]
    desk.edit(session, old, {"phone": "+77011234567"}, reason="x", now=NOW, actor="a")
    session.commit()
    report = privacy.purge(session, now=NOW + timedelta(days=91), retention=RETENTION)
    session.commit()
    erased = {key for key, p in editions.items()
              if isinstance(p, Participant) and registration.is_erased(p)}
    assert erased == {"rejected", "cancelled", "old"}
    assert editions["old"].status is Status.CONFIRMED  # statistics of the edition stay
    assert badges.current_badge(session, old).revoked_at is not None
    assert session.scalars(select(ScannerDevice.revoked_at)).all()[0] is not None
    assert session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0
    assert entries(session, old, "registration.edit")[0].data["after"] == {"phone": None}
    assert report.audit_entries_stripped == 1
    again = privacy.purge(session, now=NOW + timedelta(days=91), retention=RETENTION)
    assert (again.participants_erased, again.cancellations_erased, again.badges_revoked,
            again.scanner_tokens_deleted, again.audit_entries_stripped) == (0, 0, 0, 0, 0)


def test_purge_keeps_what_is_within_retention(session, editions):
    report = privacy.purge(session, now=NOW + timedelta(days=30), retention=RETENTION)
    assert report.past_events == [editions["past"].slug]  # ended 100 days before NOW already
    assert (report.cancellations_erased, report.rejections_erased) == (0, 0)
    assert not registration.is_erased(editions["cancelled"])


def test_erase_and_purge_on_each_backend(any_app):
    session = db.session
    event = factories.make_event(session)
    holder = factories.make_participant(session, event, first_name="Aigerim")
    desk.edit(session, holder, {"phone": "+77011234567"}, reason="x", now=NOW, actor="a")
    erase(session, holder)
    assert registration.is_erased(session.get(Participant, holder.id))
    assert entries(session, holder, "registration.edit")[0].data["after"] == {"phone": None}
    kept = factories.make_participant(session, event)
    session.commit()
    report = privacy.purge(session, now=NOW + timedelta(days=100), retention=RETENTION)
    session.commit()
    assert report.past_events == [event.slug] and report.participants_erased == 1
    assert registration.is_erased(session.get(Participant, kept.id))
