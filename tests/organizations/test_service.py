"""Delegation and company rules in the service: uniqueness, quotas, codes, deletion, fill."""

from __future__ import annotations

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from forum.audit.models import AuditEntry
from forum.errors import Conflict, NotFound
from forum.organizations import members, service
from forum.organizations.models import Company, CompanyStatus, Delegation
from forum.registration import service as registration
from forum.registration.models import Status
from tests import factories
from tests.factories import NOW

ACTOR = "account:tester"


def _audit(session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                .order_by(AuditEntry.id)))


def _join(session, event, code: str, **overrides):
    participant, _token = registration.register(
        session, event=event, data=factories.registration_data(delegation_code=code,
                                                                **overrides), now=NOW)
    return participant


def test_one_delegation_per_country(session, event):
    made = service.create_delegation(session, event=event, country="UZ", name="Uzbekistan",
                                     head_name="Aziz Karimov", head_email="a@gov.uz", quota=5,
                                     now=NOW, actor=ACTOR)
    assert made.invitation_code.startswith("D-") and made.taken == 0
    with pytest.raises(Conflict) as exc:
        service.create_delegation(session, event=event, country="UZ", name="Again",
                                  now=NOW, actor=ACTOR)
    assert exc.value.code == "delegation_exists"
    other = factories.make_event(session)
    service.create_delegation(session, event=other, country="UZ", name="Uzbekistan",
                              now=NOW, actor=ACTOR)  # another edition may have one
    entry = _audit(session, "delegation.create")[0]
    assert entry.actor == ACTOR and entry.target_id == made.public_id
    assert entry.data == {"after": {"country": "UZ", "name": "Uzbekistan", "quota": 5}}


def test_moving_to_a_taken_country_is_refused(session, event):
    factories.make_delegation(session, event, country="KG", name="Kyrgyzstan")
    uz = factories.make_delegation(session, event, country="UZ")
    with pytest.raises(Conflict) as exc:
        service.update_delegation(session, uz, {"country": "KG"}, now=NOW, actor=ACTOR)
    assert exc.value.code == "delegation_exists"


def test_quota_cannot_go_below_seats_taken(session, event):
    delegation = factories.make_delegation(session, event, quota=3)
    for _ in range(2):
        _join(session, event, delegation.invitation_code)
    with pytest.raises(Conflict) as exc:
        service.update_delegation(session, delegation, {"quota": 1}, now=NOW, actor=ACTOR)
    assert exc.value.code == "quota_below_taken" and exc.value.extra == {"taken": 2}
    service.update_delegation(session, delegation, {"quota": 2, "name": "Uzbekistan",
                                                    "head_name": delegation.head_name},
                              now=NOW, actor=ACTOR)
    assert delegation.quota == 2
    [entry] = _audit(session, "delegation.update")
    # Only what changed: the unchanged head's name is not repeated in the trail.
    assert entry.data == {"before": {"quota": 3, "name": "Republic of Uzbekistan"},
                          "after": {"quota": 2, "name": "Uzbekistan"}}
    service.update_delegation(session, delegation, {"quota": None}, now=NOW, actor=ACTOR)
    assert delegation.quota is None


def test_regenerated_code_replaces_the_old_one(session, event):
    delegation = factories.make_delegation(session, event)
    old = delegation.invitation_code
    service.regenerate_code(session, delegation, now=NOW, actor=ACTOR)
    assert delegation.invitation_code != old
    with pytest.raises(NotFound) as exc:
        _join(session, event, old)
    assert exc.value.code == "unknown_code"
    assert _join(session, event, delegation.invitation_code).delegation_id == delegation.id
    [entry] = _audit(session, "delegation.code")
    assert entry.data["before"] == {"invitation_code": old}


def test_only_an_empty_delegation_is_deleted(session, event):
    full = factories.make_delegation(session, event, country="UZ")
    person = _join(session, event, full.invitation_code)
    registration.cancel(session, person, now=NOW)
    with pytest.raises(Conflict) as exc:  # a cancelled member keeps their history
        service.delete_delegation(session, full, now=NOW, actor=ACTOR)
    assert exc.value.code == "delegation_not_empty"
    empty = factories.make_delegation(session, event, country="KG", name="Kyrgyzstan")
    service.delete_delegation(session, empty, now=NOW, actor=ACTOR)
    assert session.scalar(select(Delegation).where(Delegation.country == "KG")) is None
    [entry] = _audit(session, "delegation.delete")
    assert entry.data["before"]["country"] == "KG"


def test_fill_level_follows_registrations_waitlist_and_cancellations(session, event):
    delegation = factories.make_delegation(session, event, quota=2)
    people = [_join(session, event, delegation.invitation_code) for _ in range(3)]
    assert [p.status for p in people] == [Status.CONFIRMED, Status.CONFIRMED,
                                          Status.WAITLISTED]
    fill = members.roster(session, delegation).fill
    assert (fill.quota, fill.taken, fill.confirmed, fill.pending, fill.waitlisted) == \
        (2, 2, 2, 0, 1)

    registration.cancel(session, people[0], now=NOW)  # the waitlisted one moves up
    session.flush()
    found = members.roster(session, delegation)
    assert (found.fill.taken, found.fill.confirmed, found.fill.waitlisted) == (2, 2, 0)
    assert sorted(m.status for m in found.members) == ["cancelled", "confirmed", "confirmed"]
    assert {m.category for m in found.members} == {"delegate"}
    [listed] = members.delegations(session, event)
    assert listed.fill == found.fill == members.fill_of(session, delegation).fill


def test_a_list_is_one_query(app, session, event):
    for country in ("UZ", "KG", "TJ", "TM", "AZ"):
        d = factories.make_delegation(session, event, country=country, name=country, quota=9)
        _join(session, event, d.invitation_code)
    session.commit()
    assert event.id  # loaded again after the commit, before counting
    statements: list[str] = []
    engine = session.get_bind()

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        rows = members.delegations(session, event)
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    assert [r.fill.confirmed for r in rows] == [1] * 5
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def test_company_created_by_an_organizer_is_approved(session, event):
    company = service.create_company(session, event=event, name="Qazaq Cloud", country="KZ",
                                     exhibitor=True, contact_name="Dauren",
                                     contact_email="d@qazaq.kz", quota=3, now=NOW,
                                     actor=ACTOR)
    assert company.status is CompanyStatus.APPROVED and company.decided_at == NOW
    with pytest.raises(Conflict) as exc:
        service.create_company(session, event=event, name="Qazaq Cloud", country="KZ",
                               now=NOW, actor=ACTOR)
    assert exc.value.code == "company_exists"
    [entry] = _audit(session, "company.create")
    assert "contact_email" not in entry.data["after"] and entry.data["after"]["quota"] == 3


def test_company_edit_rules(session, event):
    company = factories.make_company(session, event, quota=2)
    factories.make_company(session, event, name="Taken Name")
    registration.register(session, event=event, now=NOW, data=factories.registration_data(
        company_code=company.invitation_code))
    with pytest.raises(Conflict) as exc:
        service.update_company(session, company, {"quota": 0}, now=NOW, actor=ACTOR)
    assert exc.value.code == "quota_below_taken"
    with pytest.raises(Conflict) as exc:
        service.update_company(session, company, {"name": "Taken Name"}, now=NOW, actor=ACTOR)
    assert exc.value.code == "company_exists"
    service.update_company(session, company, {"booth": "B-7", "contact_email": "new@x.kz"},
                           now=NOW, actor=ACTOR)
    [entry] = _audit(session, "company.update")
    assert entry.data == {"before": {"booth": "", "contact_email": ""},
                          "after": {"booth": "B-7", "contact_email": "new@x.kz"}}


def test_company_decision_is_audited_with_before_and_after(session, event):
    company = factories.make_company(session, event, status=CompanyStatus.PENDING)
    service.decide_company(session, company, approve=True, quota=4, booth="A-1", now=NOW,
                           actor=ACTOR)
    [entry] = _audit(session, "company.approve")
    assert entry.data == {"before": {"status": "pending", "quota": None, "booth": ""},
                          "after": {"status": "approved", "quota": 4, "booth": "A-1"}}
    with pytest.raises(Conflict) as exc:
        service.decide_company(session, company, approve=False, now=NOW, actor=ACTOR)
    assert exc.value.code == "not_pending"
    assert session.get(Company, company.id).quota == 4
