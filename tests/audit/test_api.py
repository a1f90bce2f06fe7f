"""The audit log API: who may read it, the filters over HTTP, and views being logged."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.accounts.models import Role
from forum.badges import service as badges

from .. import factories
from ..auth import staff_headers

URL = "/api/v1/events/digital-bridge/audit"


@pytest.fixture
def person(session, event):
    participant = factories.make_participant(session, event, first_name="Aigerim")
    session.commit()
    return participant


def test_organizer_reads_the_log_of_the_event(client, session, event, person):
    r = client.get(URL, headers=staff_headers(session, event=event))
    assert r.status_code == 200, r.json
    body = r.json
    assert (body["total"], body["page"], body["per_page"]) == (1, 1, 50)
    item = body["items"][0]
    assert item["action"] == "registration.create" and item["actor"] == "test"
    assert item["subject"] == {"type": "participant", "id": person.public_id}
    assert item["data"] == {"status": "confirmed", "category": "attendee"}
    assert item["event"] == "digital-bridge"
    assert item["at"].startswith(factories.NOW.isoformat()[:19])


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ACCREDITATION, Role.CHECKIN_SUPERVISOR,
                                  Role.DELEGATION_HEAD, Role.COMPANY_MANAGER])
def test_other_roles_are_refused(client, session, event, role):
    grant = {"event": event, "delegation": factories.make_delegation(session, event),
             "company": factories.make_company(session, event)}
    r = client.get(URL, headers=staff_headers(session, role, **grant))
    assert r.status_code == 403 and r.json["code"] == "insufficient_role"


def test_filters_over_http(client, session, event, person):
    headers = staff_headers(session, event=event)
    client.post(f"/api/v1/events/digital-bridge/participants/{person.public_id}/cancel",
                headers=headers)
    found = client.get(URL, headers=headers, query_string={
        "person": person.public_id, "action": "registration.c", "actor": "account:"}).json
    assert [i["action"] for i in found["items"]] == ["registration.cancel"]
    later = (factories.NOW + timedelta(minutes=1)).isoformat()
    assert client.get(URL, headers=headers, query_string={"since": later}).json["total"] == 0
    assert client.get(URL, headers=headers,
                      query_string={"per_page": 1, "page": 2}).json["items"][0]["action"] \
        == "registration.create"


@pytest.mark.parametrize("query, field", [
    ({"since": "2026-05-01T10:00:00"}, "since"),  # no offset
    ({"until": "yesterday"}, "until"),
    ({"per_page": 201}, "per_page"),
    ({"page": 0}, "page"),
])
def test_bad_filters_are_field_errors(client, session, event, query, field):
    r = client.get(URL, headers=staff_headers(session, event=event), query_string=query)
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert field in r.json["errors"]


def test_period_ending_before_it_starts(client, session, event):
    r = client.get(URL, headers=staff_headers(session, event=event), query_string={
        "since": "2026-05-02T00:00:00+05:00", "until": "2026-05-01T00:00:00+05:00"})
    assert r.status_code == 422 and r.json["code"] == "invalid_period"
    assert "until" in r.json["errors"]


def test_admins_see_entries_of_no_event(client, session, event):
    client.post("/api/v1/auth/tokens", json={"email": "nobody@example.kz", "password": "x" * 12})
    r = client.get("/api/v1/audit", headers=staff_headers(session, Role.ADMIN),
                   query_string={"without_event": "true", "action": "account.login"})
    assert r.status_code == 200
    assert [(i["action"], i["event"]) for i in r.json["items"]] == [
        ("account.login_failed", None)]
    organizer = staff_headers(session, event=event)
    assert client.get("/api/v1/audit", headers=organizer).status_code == 403


def test_badge_views_are_logged(client, session, event, person):
    headers = staff_headers(session, event=event)
    base = f"/api/v1/events/digital-bridge/participants/{person.public_id}"
    assert client.get(f"{base}/badge", headers=headers).status_code == 200
    assert client.get(f"{base}/badge.pdf", headers=headers).status_code == 200
    views = client.get(URL, headers=headers, query_string={"action": "participant.view"}).json
    assert [i["data"] for i in views["items"]] == [{"what": "badge.pdf"}, {"what": "badge"}]
    assert {i["subject"]["id"] for i in views["items"]} == {person.public_id}
    assert badges.current_badge(session, person) is not None
