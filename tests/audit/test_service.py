"""The audit log search: each filter, their combination, order, pages, and stripping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete

from forum.audit import service as audit
from forum.audit.models import AuditEntry
from forum.errors import ValidationFailed
from forum.registration import service as registration

from .. import factories

NOW = factories.NOW


@pytest.fixture
def log(session, event):
    """Entries of the event over three hours, one entry of no event, one of another event."""
    other = factories.make_event(session)
    aigerim = factories.make_participant(session, event, first_name="Aigerim",
                                         last_name="Sadykova")
    dana = factories.make_participant(session, event, first_name="Dana", last_name="Omarova")
    session.execute(delete(AuditEntry))  # only the entries written below

    def entry(action, target, *, actor="account:org1", hours=0, event_id=event.id, data=None):
        audit.record(session, actor=actor, action=action, target_type=target[0],
                     target_id=target[1], event_id=event_id, now=NOW + timedelta(hours=hours),
                     data=data)

    entry("registration.create", ("participant", aigerim.public_id),
          actor=f"participant:{aigerim.public_id}", hours=0)
    entry("participant.view", ("participant", aigerim.public_id), hours=1)
    entry("registration.edit", ("participant", dana.public_id), actor="account:org2", hours=2,
          data={"before": {"phone": ""}, "after": {"phone": "+77011234567"}})
    entry("company.approve", ("company", "CMP123"), hours=3)
    entry("account.login_failed", ("account", "-"), actor="anonymous", hours=1, event_id=None)
    entry("registration.create", ("participant", "elsewhere"), event_id=other.id)
    session.commit()
    return event, aigerim, dana


def actions(items):
    return [i.action for i in items]


def find(session, event_id, **filters):
    people = (registration.public_ids_matching(event_id=event_id, text=filters["person"])
              if filters.get("person") else None)
    items, total = audit.search(session, audit.AuditFilter(**filters), event_id=event_id,
                                page=1, per_page=50, people=people)
    assert total == len(items)
    return items


def test_newest_first_and_only_the_event(session, log):
    event, _a, _d = log
    assert actions(find(session, event.id)) == [
        "company.approve", "registration.edit", "participant.view", "registration.create"]


def test_person_by_id_covers_what_they_did_and_what_was_done_to_them(session, log):
    event, aigerim, _d = log
    found = find(session, event.id, person=aigerim.public_id)
    assert actions(found) == ["participant.view", "registration.create"]
    assert found[0].subject == {"type": "participant", "id": aigerim.public_id}


def test_person_by_name_or_subject_text(session, log):
    event, _a, dana = log
    assert [i.subject["id"] for i in find(session, event.id, person="omarova")] == [
        dana.public_id]
    assert actions(find(session, event.id, person="CMP1")) == ["company.approve"]


def test_actor_fragment_and_action_prefix(session, log):
    event, _a, _d = log
    assert actions(find(session, event.id, actor="account:org2")) == ["registration.edit"]
    assert actions(find(session, event.id, actor="org")) == [
        "company.approve", "registration.edit", "participant.view"]
    assert actions(find(session, event.id, action="registration.")) == [
        "registration.edit", "registration.create"]
    assert find(session, event.id, action="registration%") == []  # no wildcards


def test_period_since_inclusive_until_exclusive(session, log):
    event, _a, _d = log
    found = find(session, event.id, since=NOW + timedelta(hours=1),
                 until=NOW + timedelta(hours=3))
    assert actions(found) == ["registration.edit", "participant.view"]


def test_a_period_ending_before_it_starts_is_refused(session, log):
    event, _a, _d = log
    with pytest.raises(ValidationFailed) as caught:
        find(session, event.id, since=NOW, until=NOW)
    assert caught.value.code == "invalid_period"


def test_across_events_and_without_event(session, log):
    assert len(find(session, None)) == 6
    assert actions(find(session, None, without_event=True)) == ["account.login_failed"]
    assert find(session, log[0].id, without_event=True) == []


def test_pages(session, log):
    event, _a, _d = log
    items, total = audit.search(session, audit.AuditFilter(), event_id=event.id, page=2,
                                per_page=3)
    assert total == 4 and actions(items) == ["registration.create"]


def test_record_view_names_what_was_seen(session, log):
    event, _a, dana = log
    audit.record_view(session, actor="account:org1", event_id=event.id,
                      participant_public_id=dana.public_id, now=NOW + timedelta(hours=5),
                      what="detail")
    newest = find(session, event.id, person=dana.public_id)[0]
    assert (newest.action, newest.actor, newest.data) == (
        "participant.view", "account:org1", {"what": "detail"})


def test_strip_personal_data_keeps_entries_and_what_changed(session, log):
    event, _a, dana = log
    where = audit.about("participant", dana.public_id)
    assert audit.strip_personal_data(session, keys=["phone"], where=where, dry_run=True) == 1
    assert find(session, event.id, person=dana.public_id)[0].data["after"]["phone"]
    assert audit.strip_personal_data(session, keys=["phone"], where=where) == 1
    entry = find(session, event.id, person=dana.public_id)[0]
    assert entry.data == {"before": {"phone": ""}, "after": {"phone": None}}
    assert audit.strip_personal_data(session, keys=["phone"], where=where) == 0
