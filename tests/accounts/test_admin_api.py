"""The accounts API: admins create staff with scoped grants or invitations, edit, deactivate."""

from __future__ import annotations

from forum.accounts.models import Role

from .. import factories
from ..auth import make_account, sign_in, staff_headers
from ..test_registration_api import assert_problem

URL = "/api/v1/accounts"


def test_admin_creates_an_organizer_who_signs_in(client, session, event):
    admin = staff_headers(session, Role.ADMIN)
    r = client.post(URL, headers=admin, json={
        "email": "Aliya@Example.kz", "name": "Aliya", "password": "a long password 9",
        "grants": [{"role": "organizer", "event": event.slug}]})
    assert r.status_code == 201, r.get_data(as_text=True)
    assert r.json["grants"] == [{"role": "organizer", "event": event.slug, "delegation": None,
                                 "company": None}]
    assert r.json["invitation_url"] is None and r.json["email"] == "aliya@example.kz"
    headers = sign_in(client, "aliya@example.kz", "a long password 9")
    assert client.get(f"/api/v1/events/{event.slug}/participants",
                      headers=headers).status_code == 200
    assert_problem(client.post(URL, headers=admin, json={
        "email": "aliya@example.kz", "name": "Again", "password": "a long password 9",
        "grants": [{"role": "viewer", "event": event.slug}]}), 409, "account_exists")


def test_an_invitation_sets_the_password_once(client, clock, session, event):
    delegation = factories.make_delegation(session, event)
    session.commit()
    admin = staff_headers(session, Role.ADMIN)
    r = client.post(URL, headers=admin, json={
        "email": "head@example.uz", "name": "Head of delegation",
        "grants": [{"role": "delegation_head", "event": event.slug,
                    "delegation": delegation.public_id}]})
    assert r.status_code == 201 and r.json["invited"] is True
    url = r.json["invitation_url"]
    assert url.startswith("http://127.0.0.1:8000/admin#invite=")
    token = url.split("#invite=")[1]
    assert_problem(client.post("/api/v1/auth/tokens", json={
        "email": "head@example.uz", "password": "!invited"}), 401, "invalid_credentials")
    accept = "/api/v1/auth/invitations/accept"
    assert_problem(client.post(accept, json={"token": token, "password": "short pw"}), 422,
                   "validation_failed")
    assert client.post(accept, json={"token": token,
                                     "password": "samarkand blue 42"}).status_code == 200
    sign_in(client, "head@example.uz", "samarkand blue 42")
    assert_problem(client.post(accept, json={"token": token, "password": "another one 42"}),
                   401, "invitation_invalid")
    # A new invitation, left to expire.
    account_id = r.json["id"]
    again = client.post(f"{URL}/{account_id}/invitation", headers=admin).json
    clock.advance(days=8)
    assert_problem(client.post(accept, json={"token": again["invitation_url"].split("=")[1],
                                             "password": "another one 42"}),
                   401, "invitation_invalid")


def test_grants_are_checked(client, session, event):
    admin = staff_headers(session, Role.ADMIN)
    for grant in ({"role": "delegation_head", "event": event.slug},
                  {"role": "organizer"}, {"role": "wizard", "event": event.slug},
                  {"role": "organizer", "event": "no-such-event"},
                  {"role": "company_manager", "event": event.slug, "company": "nope"}):
        body = {"email": "x@example.kz", "name": "X", "grants": [grant]}
        assert_problem(client.post(URL, headers=admin, json=body), 422, "invalid_grant")


def test_only_admins_manage_accounts(client, session, event):
    organizer = staff_headers(session, event=event)
    assert_problem(client.get(URL, headers=organizer), 403, "insufficient_role")
    assert_problem(client.post(URL, headers=organizer, json={}), 403, "insufficient_role")


def test_edit_replaces_grants_and_deactivation_signs_out(client, session, event):
    admin_account = make_account(session, role=Role.ADMIN)
    admin = sign_in(client, admin_account.email)
    person = make_account(session, role=Role.VIEWER, event=event)
    their = sign_in(client, person.email)
    r = client.patch(f"{URL}/{person.public_id}", headers=admin, json={
        "name": "Renamed", "grants": [{"role": "accreditation", "event": event.slug}]})
    assert r.status_code == 200
    assert [g["role"] for g in r.json["grants"]] == ["accreditation"]
    assert r.json["name"] == "Renamed"
    listed = {a["email"]: a for a in client.get(URL, headers=admin).json}
    assert listed[person.email]["grants"][0]["role"] == "accreditation"

    assert_problem(client.delete(f"{URL}/{admin_account.public_id}", headers=admin), 409,
                   "own_account")
    assert client.delete(f"{URL}/{person.public_id}", headers=admin).status_code == 204
    assert_problem(client.get("/api/v1/auth/me", headers=their), 401, "invalid_token")
    assert_problem(client.post("/api/v1/auth/tokens", json={
        "email": person.email, "password": "correct horse battery 1"}), 401,
        "invalid_credentials")
    assert_problem(client.patch(f"{URL}/nope", headers=admin, json={"name": "N"}), 404,
                   "account_not_found")
    assert session.get(type(person), person.id) is not None  # kept for the audit trail
