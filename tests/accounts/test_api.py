"""Sign-in over HTTP: the panel's cookie and CSRF, lockout answers, password change, scopes."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import Account, Role
from forum.registration.models import Participant

from .. import factories
from ..auth import PASSWORD, make_account, sign_in, staff_headers
from ..test_registration_api import assert_problem

EVENT = "/api/v1/events/digital-bridge"


def _session_cookie(response) -> str:
    (header,) = [h for h in response.headers.getlist("Set-Cookie")
                 if h.startswith("forum_session=")]
    return header


def test_panel_session_cookie_and_csrf(client, session, event):
    account = make_account(session, event=event)
    person = factories.make_participant(session, event)
    session.commit()
    r = client.post("/api/v1/auth/session", json={"email": account.email, "password": PASSWORD})
    assert r.status_code == 201
    cookie = _session_cookie(r)
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # development over plain HTTP
    csrf = r.json["csrf_token"]
    assert client.get("/api/v1/auth/me").json["csrf_token"] == csrf

    cancel = f"{EVENT}/participants/{person.public_id}/cancel"
    assert_problem(client.post(cancel), 403, "csrf_failed")
    assert_problem(client.post(cancel, headers={"X-CSRF-Token": "0" * 64}), 403, "csrf_failed")
    assert client.post(cancel, headers={"X-CSRF-Token": csrf}).json["status"] == "cancelled"

    out = client.delete("/api/v1/auth/session", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204 and "forum_session=;" in _session_cookie(out)
    assert_problem(client.get("/api/v1/auth/me"), 401, "missing_token")


def test_a_cookie_session_token_is_not_a_bearer_token(client, session, event):
    account = make_account(session, event=event)
    client.post("/api/v1/auth/session", json={"email": account.email, "password": PASSWORD})
    token = client.get_cookie("forum_session").value
    assert_problem(client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}),
                   401, "invalid_token")


def test_the_cookie_is_secure_outside_development(tmp_path):
    from ..conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'secure.db'}", SESSION_COOKIE_SECURE=True)
    with app.app_context():
        from forum.extensions import db

        db.create_all()
        account = make_account(db.session, role=Role.ADMIN)
        r = app.test_client().post("/api/v1/auth/session",
                                   json={"email": account.email, "password": PASSWORD})
        assert "Secure" in _session_cookie(r)
        db.session.remove()
        db.engine.dispose()


def test_lockout_answers_429_with_retry_after(app, client, session, event):
    app.config.update(FORUM_LOGIN_LOCKOUT_AFTER=2, FORUM_LOGIN_LOCKOUT_MINUTES=5)
    account = make_account(session, event=event)
    wrong = {"email": account.email, "password": "not the password"}
    for _ in range(2):
        assert_problem(client.post("/api/v1/auth/tokens", json=wrong), 401,
                       "invalid_credentials")
    r = client.post("/api/v1/auth/tokens", json={"email": account.email, "password": PASSWORD})
    assert_problem(r, 429, "account_locked")
    assert r.headers["Retry-After"] == "300"
    assert session.scalar(select(Account.failed_logins).where(Account.id == account.id)) == 2


def test_password_change_ends_other_sessions(client, session, event):
    account = make_account(session, event=event)
    first, second = sign_in(client, account.email), sign_in(client, account.email)
    assert_problem(client.post("/api/v1/auth/password", headers=first, json={
        "current_password": "wrong one here", "new_password": "a new long secret 7"}),
        422, "invalid_credentials")
    assert_problem(client.post("/api/v1/auth/password", headers=first, json={
        "current_password": PASSWORD, "new_password": "aaaaaaaaaaaa"}), 422, "weak_password")
    r = client.post("/api/v1/auth/password", headers=first, json={
        "current_password": PASSWORD, "new_password": "a new long secret 7"})
    assert r.status_code == 200
    assert_problem(client.get("/api/v1/auth/me", headers=second), 401, "invalid_token")
    sign_in(client, account.email, "a new long secret 7")


def test_a_delegation_head_sees_and_touches_only_their_people(client, session, event):
    mine = factories.make_delegation(session, event, country="UZ", name="Uzbekistan")
    theirs = factories.make_delegation(session, event, country="KG", name="Kyrgyzstan")
    members = [factories.make_participant(session, event, delegation_code=d.invitation_code,
                                          category="delegate", last_name=name)
               for d, name in ((mine, "Karimov"), (mine, "Usmonov"), (theirs, "Toktogulov"))]
    session.commit()
    headers = staff_headers(session, Role.DELEGATION_HEAD, event=event, delegation=mine)
    listed = client.get(f"{EVENT}/participants", headers=headers).json
    assert sorted(p["last_name"] for p in listed["items"]) == ["Karimov", "Usmonov"]
    assert listed["total"] == 2
    outsider = members[2].public_id
    assert_problem(client.get(f"{EVENT}/participants/{outsider}/badge", headers=headers),
                   404, "participant_not_found")
    assert_problem(client.post(f"{EVENT}/participants/{outsider}/cancel", headers=headers),
                   404, "participant_not_found")
    assert client.get(f"{EVENT}/participants/{members[0].public_id}/badge",
                      headers=headers).status_code == 200
    assert_problem(client.get(f"{EVENT}/badges.pdf", headers=headers), 403, "insufficient_role")
    assert session.get(Participant, members[2].id).status.value == "confirmed"


def test_a_checkin_supervisor_searches_with_three_letters(client, session, event):
    factories.make_participant(session, event, last_name="Сейтқали")
    session.commit()
    headers = staff_headers(session, Role.CHECKIN_SUPERVISOR, event=event)
    assert_problem(client.get(f"{EVENT}/participants", headers=headers), 422,
                   "search_too_short")
    assert_problem(client.get(f"{EVENT}/participants?q=се", headers=headers), 422,
                   "search_too_short")
    found = client.get(f"{EVENT}/participants?q=сейт", headers=headers).json
    assert [p["last_name"] for p in found["items"]] == ["Сейтқали"]


def test_create_account_command_scopes_a_delegation_head(app, session, event):
    delegation = factories.make_delegation(session, event)
    session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=[
        "forum", "create-account", "--email", "head@example.uz", "--role", "delegation_head",
        "--event", event.slug, "--delegation", delegation.public_id,
        "--password", "a long password 1"])
    assert result.exit_code == 0, result.output
    grant = session.scalar(select(Account).where(Account.email == "head@example.uz")).grants[0]
    assert (grant.role, grant.event_id, grant.delegation_id) == (
        Role.DELEGATION_HEAD, event.id, delegation.id)
    unscoped = runner.invoke(args=[
        "forum", "create-account", "--email", "x@example.uz", "--role", "delegation_head",
        "--event", event.slug, "--password", "a long password 1"])
    assert unscoped.exit_code != 0 and "delegation" in unscoped.output


def test_me_tells_the_panel_what_each_event_allows(client, session, event):
    delegation = factories.make_delegation(session, event)
    other = factories.make_event(session, slug="next-edition")
    session.commit()
    head = staff_headers(session, Role.DELEGATION_HEAD, event=event, delegation=delegation)
    (reach,) = client.get("/api/v1/auth/me", headers=head).json["events"]
    assert reach["slug"] == event.slug and reach["delegations"] == [delegation.public_id]
    assert "participants.read" in reach["permissions"]
    assert "accreditation" not in reach["permissions"]
    admin = staff_headers(session, Role.ADMIN)
    events = client.get("/api/v1/auth/me", headers=admin).json["events"]
    assert {e["slug"] for e in events} == {event.slug, other.slug}
    assert all(e["delegations"] is None and "accounts" in e["permissions"] for e in events)
