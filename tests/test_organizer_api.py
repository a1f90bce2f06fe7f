"""Staff sign-in, company approval and accreditation decisions."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import Role
from forum.audit.models import AuditEntry
from forum.registration.models import Participant, Status
from tests import factories
from tests.auth import make_account, sign_in
from tests.factories import payload
from tests.test_registration_api import assert_problem

EVENT = "/api/v1/events/digital-bridge"


def login(client, session, event) -> dict:
    """An organizer of ``event``, signed in through the API."""
    return sign_in(client, make_account(session, event=event).email)


def test_login_wrong_password(client, session):
    make_account(session, role=Role.ADMIN, email="a@example.kz", password="right password 1")
    assert_problem(client.post("/api/v1/auth/tokens",
                               json={"email": "a@example.kz", "password": "wrong"}),
                   401, "invalid_credentials")
    assert_problem(client.post("/api/v1/auth/tokens",
                               json={"email": "nobody@example.kz", "password": "wrong"}),
                   401, "invalid_credentials")


def test_logout_revokes_token(client, session, event):
    headers = login(client, session, event)
    me = client.get("/api/v1/auth/me", headers=headers).get_json()
    assert me["account"]["roles"] == ["organizer"] and me["csrf_token"] is None
    assert client.delete("/api/v1/auth/tokens", headers=headers).status_code == 204
    assert_problem(client.get("/api/v1/auth/me", headers=headers), 401, "invalid_token")


def test_organizer_of_another_event_is_forbidden(client, session, event):
    other = factories.make_event(session, slug="other")
    headers = login(client, session, other)
    assert_problem(client.get(f"{EVENT}/participants", headers=headers), 403,
                   "insufficient_role")


def test_company_applies_and_is_approved(client, session, event):
    r = client.post(f"{EVENT}/companies", json={
        "name": "Qazaq Cloud", "country": "KZ", "website": "https://qazaq.example.kz",
        "exhibitor": True, "contact_name": "Дәурен Әбенов", "contact_email": "d@qazaq.example.kz",
        "consent": True})
    assert r.status_code == 201 and r.get_json()["status"] == "pending"
    company_id = r.get_json()["id"]
    assert "invitation_code" not in r.get_json()

    assert_problem(client.get(f"{EVENT}/companies"), 401, "missing_token")
    headers = login(client, session, event)
    pending = client.get(f"{EVENT}/companies?status=pending", headers=headers).get_json()
    assert [c["id"] for c in pending] == [company_id]
    assert pending[0]["invitation_code"] is None

    approved = client.post(f"{EVENT}/companies/{company_id}/approve", headers=headers,
                           json={"quota": 2, "booth": "A-12"})
    assert approved.status_code == 200
    code = approved.get_json()["invitation_code"]
    assert approved.get_json()["booth"] == "A-12"
    assert_problem(client.post(f"{EVENT}/companies/{company_id}/approve", headers=headers,
                               json={}), 409, "not_pending")

    staff = client.post(f"{EVENT}/registrations", json=payload(company_code=code))
    assert staff.status_code == 201 and staff.get_json()["status"] == "confirmed"
    actions = set(session.scalars(select(AuditEntry.action)))
    assert {"company.apply", "company.approve", "account.login"} <= actions


def test_company_duplicate_name(client, session, event):
    body = {"name": "Same", "country": "KZ", "contact_name": "A B",
            "contact_email": "a@example.kz", "consent": True}
    assert client.post(f"{EVENT}/companies", json=body).status_code == 201
    assert_problem(client.post(f"{EVENT}/companies", json=body), 409, "company_exists")


def test_press_accreditation_approve_and_reject(client, session, event):
    headers = login(client, session, event)
    a = client.post(f"{EVENT}/registrations", json=payload(category="press")).get_json()
    b = client.post(f"{EVENT}/registrations", json=payload(category="press")).get_json()
    r = client.post(f"{EVENT}/participants/{a['id']}/approve", headers=headers)
    assert r.status_code == 200 and r.get_json()["status"] == "confirmed"
    r = client.post(f"{EVENT}/participants/{b['id']}/reject", headers=headers)
    assert r.get_json()["status"] == "rejected"
    assert_problem(client.post(f"{EVENT}/participants/{b['id']}/approve", headers=headers),
                   409, "not_pending")
    assert_problem(client.post(f"{EVENT}/participants/nope/approve", headers=headers), 404,
                   "participant_not_found")


def test_organizer_adds_a_speaker_and_searches(client, session, event):
    headers = login(client, session, event)
    r = client.post(f"{EVENT}/participants", headers=headers,
                    json=payload(category="speaker", first_name="Жанар", last_name="Төлеуова"))
    assert r.status_code == 201
    assert r.get_json()["participant"]["status"] == "confirmed"
    found = client.get(f"{EVENT}/participants?q=төлеу", headers=headers).get_json()
    assert found["total"] == 1 and found["items"][0]["category"] == "speaker"
    assert client.get(f"{EVENT}/participants?status=pending",
                      headers=headers).get_json()["total"] == 0


def test_organizer_cancel_promotes(client, session):
    event = factories.make_event(session, slug="digital-bridge",
                                 category_quotas={"attendee": 1})
    session.commit()
    headers = login(client, session, event)
    first = client.post(f"{EVENT}/registrations", json=payload()).get_json()
    second = client.post(f"{EVENT}/registrations", json=payload()).get_json()
    client.post(f"{EVENT}/participants/{first['id']}/cancel", headers=headers)
    promoted = session.scalar(select(Participant).where(Participant.public_id == second["id"]))
    assert promoted.status is Status.CONFIRMED


def test_create_admin_cli(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["forum", "create-admin", "--email", "Boss@Example.kz",
                                 "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    r = client.post("/api/v1/auth/tokens",
                    json={"email": "boss@example.kz", "password": "long enough pw"})
    assert r.status_code == 201
    short = runner.invoke(args=["forum", "create-admin", "--email", "x@example.kz",
                                "--password", "short"])
    assert short.exit_code != 0
