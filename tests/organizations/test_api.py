"""Organizers manage delegations and companies; heads and managers read only their own."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import Role
from forum.audit.models import AuditEntry
from tests import factories
from tests.auth import staff_headers
from tests.factories import payload
from tests.test_registration_api import assert_problem

EVENT = "/api/v1/events/digital-bridge"


@pytest.fixture
def organizer(session, event) -> dict:
    return staff_headers(session, Role.ORGANIZER, event=event)


def _delegation(client, headers, **body) -> dict:
    body = {"country": "UZ", "name": "Republic of Uzbekistan", "head_name": "Aziz Karimov",
            "head_email": "aziz@gov.uz", "quota": 2, **body}
    r = client.post(f"{EVENT}/delegations", json=body, headers=headers)
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.get_json()


def test_organizer_sets_up_a_delegation(client, organizer):
    made = _delegation(client, organizer, country="uz")
    assert made["country"] == "UZ" and made["invitation_code"].startswith("D-")
    assert made["fill"] == {"quota": 2, "taken": 0, "confirmed": 0, "pending": 0,
                            "waitlisted": 0}
    assert_problem(client.post(f"{EVENT}/delegations", headers=organizer,
                               json={"country": "UZ", "name": "Again"}),
                   409, "delegation_exists")
    listed = client.get(f"{EVENT}/delegations", headers=organizer).get_json()
    assert [d["id"] for d in listed] == [made["id"]] and listed[0]["fill"]["quota"] == 2


@pytest.mark.parametrize(("body", "field"), [
    ({"country": "XX", "name": "Nowhere"}, "country"),
    ({"country": "KG", "name": ""}, "name"),
    ({"country": "KG", "name": "Kyrgyzstan", "quota": -1}, "quota"),
    ({"country": "KG", "name": "Kyrgyzstan", "head_email": "not an email"}, "head_email"),
    ({"name": "Kyrgyzstan"}, "country"),
])
def test_delegation_validation(client, organizer, body, field):
    problem = assert_problem(client.post(f"{EVENT}/delegations", json=body, headers=organizer),
                             422, "validation_failed")
    assert field in problem["errors"]


def test_roster_fill_and_quota_rule(client, session, organizer):
    made = _delegation(client, organizer)
    for _ in range(3):
        r = client.post(f"{EVENT}/registrations",
                        json=payload(delegation_code=made["invitation_code"]))
        assert r.status_code == 201
    found = client.get(f"{EVENT}/delegations/{made['id']}", headers=organizer).get_json()
    assert found["fill"] == {"quota": 2, "taken": 2, "confirmed": 2, "pending": 0,
                             "waitlisted": 1}
    assert sorted(m["status"] for m in found["members"]) == ["confirmed", "confirmed",
                                                             "waitlisted"]
    assert {m["category"] for m in found["members"]} == {"delegate"}

    assert_problem(client.patch(f"{EVENT}/delegations/{made['id']}", json={"quota": 1},
                                headers=organizer), 409, "quota_below_taken")
    r = client.patch(f"{EVENT}/delegations/{made['id']}", headers=organizer,
                     json={"quota": 5, "head_email": "new.head@gov.uz"})
    assert r.status_code == 200 and r.get_json()["quota"] == 5
    assert r.get_json()["head_email"] == "new.head@gov.uz"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "delegation.update"))
    assert entry.data == {"before": {"quota": 2, "head_email": "aziz@gov.uz"},
                          "after": {"quota": 5, "head_email": "new.head@gov.uz"}}
    assert entry.actor.startswith("account:")
    assert_problem(client.patch(f"{EVENT}/delegations/nope", json={}, headers=organizer),
                   404, "delegation_not_found")


def test_new_code_retires_the_old_one(client, organizer):
    made = _delegation(client, organizer)
    r = client.post(f"{EVENT}/delegations/{made['id']}/code", headers=organizer)
    new = r.get_json()["invitation_code"]
    assert r.status_code == 200 and new != made["invitation_code"]
    assert_problem(client.post(f"{EVENT}/registrations",
                               json=payload(delegation_code=made["invitation_code"])),
                   404, "unknown_code")
    assert client.post(f"{EVENT}/registrations",
                       json=payload(delegation_code=new)).status_code == 201


def test_delete_only_without_members(client, organizer):
    full = _delegation(client, organizer)
    client.post(f"{EVENT}/registrations", json=payload(delegation_code=full["invitation_code"]))
    assert_problem(client.delete(f"{EVENT}/delegations/{full['id']}", headers=organizer),
                   409, "delegation_not_empty")
    empty = _delegation(client, organizer, country="KG", name="Kyrgyz Republic")
    assert client.delete(f"{EVENT}/delegations/{empty['id']}",
                         headers=organizer).status_code == 204
    assert_problem(client.get(f"{EVENT}/delegations/{empty['id']}", headers=organizer),
                   404, "delegation_not_found")


def test_delegation_head_sees_only_their_own(client, session, event):
    mine = factories.make_delegation(session, event, country="UZ", quota=3)
    theirs = factories.make_delegation(session, event, country="KG", name="Kyrgyzstan")
    factories.make_participant(session, event, delegation_code=mine.invitation_code)
    session.commit()
    head = staff_headers(session, Role.DELEGATION_HEAD, event=event, delegation=mine)

    found = client.get(f"{EVENT}/delegations/{mine.public_id}", headers=head)
    assert found.status_code == 200 and found.get_json()["fill"]["confirmed"] == 1
    assert len(found.get_json()["members"]) == 1
    assert_problem(client.get(f"{EVENT}/delegations/{theirs.public_id}", headers=head),
                   404, "delegation_not_found")
    listed = client.get(f"{EVENT}/delegations", headers=head).get_json()
    assert [d["id"] for d in listed] == [mine.public_id]
    assert client.get(f"{EVENT}/companies", headers=head).get_json() == []

    for method, url, body in (
            ("PATCH", f"/delegations/{mine.public_id}", {"quota": 50}),
            ("POST", f"/delegations/{mine.public_id}/code", None),
            ("DELETE", f"/delegations/{mine.public_id}", None),
            ("POST", "/delegations", {"country": "TJ", "name": "Tajikistan"})):
        assert_problem(client.open(f"{EVENT}{url}", method=method, json=body, headers=head),
                       403, "insufficient_role")
    session.refresh(mine)
    assert mine.quota == 3


def test_company_manager_sees_only_their_company(client, session, event):
    mine = factories.make_company(session, event, quota=2)
    theirs = factories.make_company(session, event)
    delegation = factories.make_delegation(session, event)
    session.commit()
    manager = staff_headers(session, Role.COMPANY_MANAGER, event=event, company=mine)
    assert client.get(f"{EVENT}/companies/{mine.public_id}", headers=manager).status_code == 200
    assert_problem(client.get(f"{EVENT}/companies/{theirs.public_id}", headers=manager),
                   404, "company_not_found")
    assert_problem(client.get(f"{EVENT}/delegations/{delegation.public_id}", headers=manager),
                   404, "delegation_not_found")
    assert [c["id"] for c in client.get(f"{EVENT}/companies",
                                        headers=manager).get_json()] == [mine.public_id]
    assert_problem(client.patch(f"{EVENT}/companies/{mine.public_id}", json={"quota": 9},
                                headers=manager), 403, "insufficient_role")
    assert_problem(client.post(f"{EVENT}/companies/{mine.public_id}/code", headers=manager),
                   403, "insufficient_role")


def test_organizer_adds_and_edits_a_company(client, session, organizer):
    r = client.post(f"{EVENT}/companies/manual", headers=organizer, json={
        "name": "Qazaq Cloud", "country": "kz", "website": "https://qazaq.example.kz",
        "exhibitor": True, "booth": "A-12", "contact_name": "Дәурен Әбенов",
        "contact_email": "d@qazaq.example.kz", "quota": 1})
    assert r.status_code == 201, r.get_data(as_text=True)
    company = r.get_json()
    assert company["status"] == "approved" and company["invitation_code"].startswith("C-")
    assert_problem(client.post(f"{EVENT}/companies/manual", headers=organizer,
                               json={"name": "Qazaq Cloud", "country": "KZ"}),
                   409, "company_exists")

    code = company["invitation_code"]
    first = client.post(f"{EVENT}/registrations", json=payload(company_code=code))
    second = client.post(f"{EVENT}/registrations", json=payload(company_code=code))
    assert first.get_json()["status"] == "confirmed"
    assert second.get_json()["status"] == "waitlisted"
    found = client.get(f"{EVENT}/companies/{company['id']}", headers=organizer).get_json()
    assert found["fill"] == {"quota": 1, "taken": 1, "confirmed": 1, "pending": 0,
                             "waitlisted": 1}
    assert {m["category"] for m in found["members"]} == {"exhibitor"}
    listed = client.get(f"{EVENT}/companies?status=approved", headers=organizer).get_json()
    assert listed[0]["fill"]["waitlisted"] == 1

    assert_problem(client.patch(f"{EVENT}/companies/{company['id']}", json={"quota": 0},
                                headers=organizer), 409, "quota_below_taken")
    r = client.patch(f"{EVENT}/companies/{company['id']}", headers=organizer,
                     json={"booth": "B-3", "exhibitor": False, "website": ""})
    assert r.status_code == 200
    assert (r.get_json()["booth"], r.get_json()["exhibitor"], r.get_json()["website"]) == \
        ("B-3", False, "")
    assert_problem(client.patch(f"{EVENT}/companies/{company['id']}", headers=organizer,
                                json={"contact_email": "nope"}), 422, "validation_failed")

    renewed = client.post(f"{EVENT}/companies/{company['id']}/code", headers=organizer)
    assert renewed.get_json()["invitation_code"] != code
    assert_problem(client.post(f"{EVENT}/registrations", json=payload(company_code=code)),
                   404, "unknown_code")
    actions = set(session.scalars(select(AuditEntry.action)))
    assert {"company.create", "company.update", "company.code"} <= actions
