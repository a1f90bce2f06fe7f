"""The registration contract, one test per answer a client can get."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEntry
from forum.organizations.models import CompanyStatus
from forum.registration.models import Participant, Status
from tests import factories
from tests.factories import payload

URL = "/api/v1/events/digital-bridge/registrations"


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(Participant))


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["title"] and body["type"]
    return body


def test_event_info_lists_open_categories(client, event):
    r = client.get("/api/v1/events/digital-bridge")
    assert r.status_code == 200
    body = r.get_json()
    assert body["timezone"] == "Asia/Almaty"
    assert body["registration_open"] is True
    assert [c["slug"] for c in body["categories"]] == ["attendee", "press"]
    assert body["categories"][1]["needs_approval"] is True


def test_unknown_event_is_404(client):
    assert_problem(client.get("/api/v1/events/nope"), 404, "event_not_found")
    assert_problem(client.post("/api/v1/events/nope/registrations", json=payload()), 404,
                   "event_not_found")


def test_kazakh_names_round_trip_unchanged(client, event):
    body = payload(first_name="Әлия", last_name="Қасымова-Ұлықбек",
                   organization="Ғылым және Өнер", job_title="Һ і ң ө ү ұ ғ қ ә")
    r = client.post(URL, json=body)
    assert r.status_code == 201
    assert r.get_json()["status"] == "confirmed"
    me = client.get("/api/v1/registrations/me", headers=auth(r.get_json()["manage_token"]))
    for field in ("first_name", "last_name", "organization", "job_title"):
        assert me.get_json()[field] == body[field]


def test_manage_token_is_stored_hashed(client, event, session):
    r = client.post(URL, json=payload())
    token = r.get_json()["manage_token"]
    stored = session.scalar(select(Participant.manage_token_hash))
    assert token not in stored and len(stored) == 64


def test_public_id_is_opaque(client, event):
    ids = [client.post(URL, json=payload()).get_json()["id"] for _ in range(2)]
    assert all(len(i) >= 16 and not i.isdigit() for i in ids)


def test_already_registered(client, event, session):
    client.post(URL, json=payload(email="dup@example.kz"))
    assert_problem(client.post(URL, json=payload(email="DUP@Example.kz")), 409,
                   "already_registered")
    assert count(session) == 1


def test_self_cancel_erases_personal_data(client, event, session):
    body = payload(email="gone@example.kz", phone="+77011234567", organization="Kaspi")
    first = client.post(URL, json=body).get_json()
    client.delete("/api/v1/registrations/me", headers=auth(first["manage_token"]))
    row = session.scalar(select(Participant).where(Participant.public_id == first["id"]))
    assert row.status is Status.CANCELLED
    assert (row.first_name, row.last_name, row.phone, row.organization) == ("", "", "", "")
    assert "gone" not in row.email and "gone" not in row.search_key


def test_cancelled_person_can_register_again(client, event, session):
    first = client.post(URL, json=payload(email="again@example.kz")).get_json()
    client.delete("/api/v1/registrations/me", headers=auth(first["manage_token"]))
    second = client.post(URL, json=payload(email="again@example.kz"))
    assert second.status_code == 201
    assert second.get_json()["status"] == "confirmed"
    assert second.get_json()["id"] != first["id"]


def test_organizer_cancelled_registration_is_reused(client, event, session):
    first = factories.make_participant(session, event, email="back@example.kz")
    from forum.registration import service as registration

    registration.cancel(session, first, now=factories.NOW, actor="test")
    session.commit()
    again = client.post(URL, json=payload(email="back@example.kz"))
    assert again.status_code == 201 and again.get_json()["id"] == first.public_id
    assert count(session) == 1


def test_registration_closed(client, session):
    factories.make_event(session, slug="digital-bridge",
                         registration_closes_at=factories.NOW - timedelta(days=400))
    session.commit()
    assert_problem(client.post(URL, json=payload()), 409, "registration_closed")
    assert count(session) == 0


@pytest.mark.parametrize("category", ["speaker", "vip", "staff", "volunteer"])
def test_category_not_open(client, event, category, session):
    assert_problem(client.post(URL, json=payload(category=category)), 403, "category_not_open")
    assert count(session) == 0


@pytest.mark.parametrize("category", ["delegate", "exhibitor"])
def test_category_needs_code(client, event, category):
    assert_problem(client.post(URL, json=payload(category=category)), 403,
                   "invitation_code_required")


def test_unknown_code_is_404(client, event):
    assert_problem(client.post(URL, json=payload(delegation_code="D-NOPE")), 404, "unknown_code")
    assert_problem(client.post(URL, json=payload(company_code="C-NOPE")), 404, "unknown_code")


def test_delegation_code_registers_a_delegate(client, event, session):
    delegation = factories.make_delegation(session, event, quota=1)
    session.commit()
    r = client.post(URL, json=payload(delegation_code=delegation.invitation_code.lower()))
    assert r.status_code == 201 and r.get_json()["status"] == "confirmed"
    me = client.get("/api/v1/registrations/me", headers=auth(r.get_json()["manage_token"]))
    assert me.get_json()["category"] == "delegate"
    assert me.get_json()["delegation"] == delegation.name
    # The delegation's quota is full: the next member waits.
    r2 = client.post(URL, json=payload(delegation_code=delegation.invitation_code))
    assert r2.get_json()["status"] == "waitlisted"


def test_company_code_registers_exhibitor_staff(client, event, session):
    company = factories.make_company(session, event, exhibitor=True, quota=5)
    session.commit()
    r = client.post(URL, json=payload(company_code=company.invitation_code))
    me = client.get("/api/v1/registrations/me", headers=auth(r.get_json()["manage_token"]))
    assert me.get_json()["category"] == "exhibitor"
    assert me.get_json()["organization"] == company.name


def test_company_not_approved(client, event, session):
    company = factories.make_company(session, event, status=CompanyStatus.PENDING)
    session.commit()
    assert_problem(client.post(URL, json=payload(company_code=company.invitation_code)), 403,
                   "company_not_approved")


def test_press_starts_pending(client, event):
    r = client.post(URL, json=payload(category="press"))
    assert r.status_code == 201 and r.get_json()["status"] == "pending"


def test_event_capacity_waitlists(client, session):
    factories.make_event(session, slug="digital-bridge", quota=1)
    session.commit()
    assert client.post(URL, json=payload()).get_json()["status"] == "confirmed"
    assert client.post(URL, json=payload()).get_json()["status"] == "waitlisted"


def test_cancellation_promotes_the_first_waitlisted(client, session):
    factories.make_event(session, slug="digital-bridge", category_quotas={"attendee": 1})
    session.commit()
    first = client.post(URL, json=payload()).get_json()
    second = client.post(URL, json=payload()).get_json()
    third = client.post(URL, json=payload()).get_json()
    assert [first["status"], second["status"], third["status"]] == [
        "confirmed", "waitlisted", "waitlisted"]
    r = client.delete("/api/v1/registrations/me", headers=auth(first["manage_token"]))
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled"
    statuses = {p.public_id: p.status for p in session.scalars(select(Participant))}
    assert statuses[second["id"]] is Status.CONFIRMED
    assert statuses[third["id"]] is Status.WAITLISTED


def test_edit_allowed_fields(client, event):
    token = client.post(URL, json=payload()).get_json()["manage_token"]
    r = client.patch("/api/v1/registrations/me", headers=auth(token),
                     json={"organization": "Astana Hub", "phone": "+7 701 123 4567",
                           "locale": "kk"})
    assert r.status_code == 200
    assert r.get_json()["organization"] == "Astana Hub"
    assert r.get_json()["phone"] == "+77011234567"
    assert r.get_json()["locale"] == "kk"


def test_edit_rejects_other_fields(client, event):
    token = client.post(URL, json=payload()).get_json()["manage_token"]
    body = assert_problem(client.patch("/api/v1/registrations/me", headers=auth(token),
                                       json={"email": "new@example.kz"}), 422,
                          "validation_failed")
    assert "email" in body["errors"]


def test_cancelled_registration_cannot_be_edited(client, event):
    token = client.post(URL, json=payload()).get_json()["manage_token"]
    client.delete("/api/v1/registrations/me", headers=auth(token))
    assert_problem(client.patch("/api/v1/registrations/me", headers=auth(token),
                                json={"organization": "X"}), 409, "registration_inactive")


def test_missing_and_invalid_manage_token(client, event):
    assert_problem(client.get("/api/v1/registrations/me"), 401, "missing_token")
    assert_problem(client.get("/api/v1/registrations/me", headers=auth("nope")), 401,
                   "invalid_token")


def test_idempotent_retry_replays_the_answer(client, event, session):
    headers = {"Idempotency-Key": "3f1c1d9e-retry"}
    body = payload()
    first = client.post(URL, json=body, headers=headers)
    again = client.post(URL, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(session) == 1


def test_stored_answers_reveal_neither_key_nor_manage_token(client, event, session):
    from forum import idempotency

    key = "6b0e1c70-5f0e-4c1e-9a55-0d3c1f6c2b9e"
    first = client.post(URL, json=payload(), headers={"Idempotency-Key": key}).get_json()
    record = session.scalar(select(idempotency.IdempotencyRecord))
    stored = repr([getattr(record, c.key) for c in idempotency.IdempotencyRecord.__table__.c])
    assert key not in stored and first["manage_token"] not in stored
    assert first["manage_token"].encode() not in record.sealed_body
    assert record.subject == first["id"]
    # Cancelling forgets the answer: a replay cannot hand out the closed record's token.
    me = {"Authorization": f"Bearer {first['manage_token']}"}
    assert client.delete("/api/v1/registrations/me", headers=me).status_code in (200, 204)
    assert session.scalar(select(idempotency.IdempotencyRecord)) is None
    again = client.post(URL, json=payload(), headers={"Idempotency-Key": key})
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert again.get_json()["manage_token"] != first["manage_token"]


def test_idempotency_key_reused_with_other_body(client, event, session):
    headers = {"Idempotency-Key": "k-1"}
    client.post(URL, json=payload(), headers=headers)
    assert_problem(client.post(URL, json=payload(), headers=headers), 409,
                   "idempotency_key_reused")
    assert count(session) == 1


@pytest.mark.parametrize("body", ["[" * 100_000, '{"first_name": ' + "9" * 5001 + "}"])
@pytest.mark.parametrize("path", [URL, "/api/v1/auth/tokens"])
def test_json_past_what_the_decoder_holds_is_400(client, event, session, path, body):
    assert_problem(client.post(path, data=body, content_type="application/json"), 400,
                   "malformed_json")
    assert count(session) == 0


def test_body_not_json(client, event, session):
    assert_problem(client.post(URL, data="first_name=a", content_type="text/plain"), 400,
                   "not_json")
    assert_problem(client.post(URL, data="{not json", content_type="application/json"), 400,
                   "malformed_json")
    assert count(session) == 0


VALIDATION_CASES = [
    ({"email": "not-an-email"}, "email"),
    ({"email": ""}, "email"),
    ({"country": "XX"}, "country"),
    ({"country": "KAZ"}, "country"),
    ({"phone": "8701"}, "phone"),  # 8 701 123 45 67 is fine: tests/registration/test_phones.py
    ({"phone": "+7 000"}, "phone"),
    ({"first_name": ""}, "first_name"),
    ({"first_name": "   "}, "first_name"),
    ({"first_name": "x" * 101}, "first_name"),
    ({"last_name": "<script>"}, "last_name"),
    ({"last_name": "12345"}, "last_name"),
    ({"locale": "de"}, "locale"),
    ({"consent": False}, "consent"),
    ({"category": "nope"}, "category"),
    ({"unexpected": 1}, "unexpected"),
    ({"organization": "a\u0000b"}, "organization"),
]


@pytest.mark.parametrize(("override", "field"), VALIDATION_CASES)
def test_validation_errors_name_the_field(client, event, session, override, field):
    body = assert_problem(client.post(URL, json=payload(**override)), 422, "validation_failed")
    assert field in body["errors"], body
    assert all(isinstance(m, str) for m in body["errors"][field])
    assert count(session) == 0


@pytest.mark.parametrize("missing", ["first_name", "last_name", "email", "country", "consent"])
def test_required_fields(client, event, missing):
    body = payload()
    body.pop(missing)
    problem = assert_problem(client.post(URL, json=body), 422, "validation_failed")
    assert missing in problem["errors"]


def test_json_array_body_is_rejected(client, event):
    assert client.post(URL, json=[1, 2]).status_code in (400, 422)


def test_every_change_is_audited(client, event, session):
    token = client.post(URL, json=payload()).get_json()["manage_token"]
    client.patch("/api/v1/registrations/me", headers=auth(token), json={"job_title": "CTO"})
    client.delete("/api/v1/registrations/me", headers=auth(token))
    actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["registration.create", "registration.update", "registration.cancel"]


def test_rate_limit_answers_429_problem(tmp_path):
    from forum.extensions import db
    from tests.conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'rl.db'}", RATELIMIT_ENABLED=True,
                   FORUM_REGISTRATION_RATE_LIMIT="2 per minute")
    with app.app_context():
        db.create_all()
        factories.make_event(db.session, slug="digital-bridge")
        db.session.commit()
        client = app.test_client()
        codes = [client.post(URL, json=payload()).status_code for _ in range(3)]
        assert codes == [201, 201, 429]
        r = client.post(URL, json=payload())
        assert_problem(r, 429, "rate_limited")
        assert int(r.headers["Retry-After"]) > 0
        db.session.remove()
        db.engine.dispose()


def test_openapi_documents_the_contract(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    post = paths["/api/v1/events/{slug}/registrations"]["post"]
    assert "requestBody" in post and {"201", "409", "422"} <= set(post["responses"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/registrations/me"])
    for path, operations in paths.items():
        for method, op in operations.items():
            if method == "parameters":
                continue
            assert op.get("summary"), f"{method} {path} has no summary"
            assert any(code.startswith("2") for code in op["responses"]), path


def test_expired_idempotency_answers_are_purged(client, event, session, monkeypatch):
    from forum import idempotency

    client.post(URL, json=payload(), headers={"Idempotency-Key": "old-key"})
    record = session.scalar(select(idempotency.IdempotencyRecord))
    record.created_at = factories.NOW - timedelta(days=30)
    session.commit()
    monkeypatch.setattr(idempotency, "_last_purge", None)
    client.post(URL, json=payload(), headers={"Idempotency-Key": "new-key"})
    keys = set(session.scalars(select(idempotency.IdempotencyRecord.key_hash)))
    assert keys == {idempotency._key_hash(f"registration:{event.id}", "new-key")}
