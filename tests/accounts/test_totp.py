"""Two-factor sign-in: set-up, codes at sign-in (once each), the requirement, a reset."""

from __future__ import annotations

import pyotp

from forum.accounts.models import Account, Role

from ..auth import PASSWORD, make_account, sign_in, staff_headers
from ..test_registration_api import assert_problem


def _code(secret: str, at) -> str:
    return pyotp.TOTP(secret, interval=30).at(at)


def _turn_on(client, headers, clock) -> str:
    setup = client.post("/api/v1/auth/totp", headers=headers)
    assert setup.status_code == 201
    secret = setup.json["secret"]
    assert setup.json["otpauth_uri"].startswith("otpauth://totp/Digital%20Bridge:")
    assert_problem(client.post("/api/v1/auth/totp/confirm", headers=headers,
                               json={"code": "000000" if _code(secret, clock()) != "000000"
                                     else "111111"}), 422, "invalid_totp")
    ok = client.post("/api/v1/auth/totp/confirm", headers=headers,
                     json={"code": _code(secret, clock())})
    assert ok.status_code == 200 and ok.json["totp_enabled"] is True
    return secret


def test_sign_in_asks_for_a_code_and_takes_each_once(client, clock, session, event):
    account = make_account(session, event=event)
    secret = _turn_on(client, sign_in(client, account.email), clock)
    stored = session.get(Account, account.id).totp_secret_sealed
    assert secret.encode() not in bytes(stored)  # sealed at rest

    body = {"email": account.email, "password": PASSWORD}
    assert_problem(client.post("/api/v1/auth/tokens", json=body), 401, "totp_required")
    clock.advance(seconds=60)
    code = _code(secret, clock())
    assert client.post("/api/v1/auth/tokens", json={**body, "totp": code}).status_code == 201
    assert_problem(client.post("/api/v1/auth/tokens", json={**body, "totp": code}), 401,
                   "invalid_credentials")  # the same code again
    session.expire_all()
    assert session.get(Account, account.id).failed_logins == 1


def test_a_required_second_factor_guards_personal_data(app, client, clock, session, event):
    app.config["FORUM_TOTP_REQUIRED"] = True
    headers = staff_headers(session, event=event)
    url = f"/api/v1/events/{event.slug}/participants"
    assert_problem(client.get(url, headers=headers), 403, "totp_setup_required")
    viewer = staff_headers(session, Role.VIEWER, event=event)
    assert client.get(f"/api/v1/events/{event.slug}/checkins/stats",
                      headers=viewer).status_code == 200  # figures hold no personal data
    _turn_on(client, headers, clock)
    assert client.get(url, headers=headers).status_code == 200


def test_an_admin_requires_it_of_one_account_and_resets_a_lost_phone(client, clock, session,
                                                                      event):
    admin = staff_headers(session, Role.ADMIN)
    person = make_account(session, event=event)
    theirs = sign_in(client, person.email)
    r = client.patch(f"/api/v1/accounts/{person.public_id}", headers=admin,
                     json={"totp_required": True})
    assert r.json["totp_required"] is True
    url = f"/api/v1/events/{event.slug}/participants"
    assert_problem(client.get(url, headers=theirs), 403, "totp_setup_required")
    _turn_on(client, theirs, clock)
    assert client.get(url, headers=theirs).status_code == 200
    reset = client.patch(f"/api/v1/accounts/{person.public_id}", headers=admin,
                         json={"totp_reset": True})
    assert reset.json["totp_enabled"] is False
    assert client.post("/api/v1/auth/tokens", json={
        "email": person.email, "password": PASSWORD}).status_code == 201


def test_me_tells_whether_the_account_must_use_it(app, client, clock, session, event):
    def required(headers) -> bool:
        return client.get("/api/v1/auth/me", headers=headers).json["totp_required"]

    organizer = make_account(session, event=event)
    theirs = sign_in(client, organizer.email)
    viewer = staff_headers(session, Role.VIEWER, event=event)
    assert required(theirs) is False
    app.config["FORUM_TOTP_REQUIRED"] = True
    assert required(theirs) is True
    assert required(viewer) is False  # a role without personal data is not asked for it
    _turn_on(client, theirs, clock)
    assert required(theirs) is True  # still required once it is on
    app.config["FORUM_TOTP_REQUIRED"] = False
    assert required(theirs) is False
    admin = staff_headers(session, Role.ADMIN)
    client.patch(f"/api/v1/accounts/{organizer.public_id}", headers=admin,
                 json={"totp_required": True})
    me = client.get("/api/v1/auth/me", headers=theirs).json
    assert me["totp_required"] is True and me["account"]["totp_required"] is True


def test_the_owner_turns_it_off_unless_it_is_required(app, client, clock, session, event):
    account = make_account(session, event=event)
    headers = sign_in(client, account.email)
    _turn_on(client, headers, clock)
    assert_problem(client.delete("/api/v1/auth/totp", headers=headers,
                                 json={"password": "not the password"}), 422,
                   "invalid_credentials")
    app.config["FORUM_TOTP_REQUIRED"] = True  # the organizer role sees personal data
    assert_problem(client.delete("/api/v1/auth/totp", headers=headers,
                                 json={"password": PASSWORD}), 409, "totp_mandatory")
    assert session.get(Account, account.id).totp_enabled_at is not None
    app.config["FORUM_TOTP_REQUIRED"] = False
    off = client.delete("/api/v1/auth/totp", headers=headers, json={"password": PASSWORD})
    assert off.status_code == 200 and off.json["totp_enabled"] is False
