"""Every API route declares who may call it, and the server holds to it.

Enumerates ``app.url_map``: anonymous callers get 401 on every non-public route, every role
without the route's permissions gets 403, the others get past authorization, credentials of
the wrong kind (staff for a scanner route, …) are refused, and the OpenAPI document names
the 401/403 answers. Requests carry an empty body: authorization comes before validation.
"""

from __future__ import annotations

import re

import pytest

from forum.accounts.models import Role
from forum.accounts.permissions import ROLE_PERMISSIONS, SCOPED_ROLES
from forum.badges import service as badges
from forum.blueprint import ACCESS_ATTR, Access
from forum.checkin import devices
from forum.checkin import service as checkin
from forum.checkin.demo import setup_demo_zones

from . import factories
from .auth import staff_headers

# The routes anyone may call; a new public route is a decision made here, on purpose.
PUBLIC = {
    ("GET", "/api/v1/events/<slug>"),
    ("POST", "/api/v1/events/<slug>/registrations"),
    # A lost manage link: the same 202 for any address, the link goes only to the mailbox.
    ("POST", "/api/v1/events/<slug>/registrations/recover"),
    ("POST", "/api/v1/events/<slug>/companies"),
    # The form's suggestions: approved companies' names only.
    ("GET", "/api/v1/events/<slug>/companies/approved"),
    # CLDR country names for the forms, the same for everyone (cached a day).
    ("GET", "/api/v1/countries"),
    ("POST", "/api/v1/auth/tokens"),
    ("POST", "/api/v1/auth/session"),
    ("POST", "/api/v1/auth/invitations/accept"),
    # The published program: anyone's agenda, cached by browsers and proxies.
    ("GET", "/api/v1/events/<slug>/program"),
    ("GET", "/api/v1/events/<slug>/program/sessions/<session_id>"),
    ("GET", "/api/v1/events/<slug>/speakers"),
    ("GET", "/api/v1/events/<slug>/speakers/<speaker_id>"),
    # A speaker's photo, only when they agreed to show it (404 otherwise).
    ("GET", "/api/v1/events/<slug>/speakers/<speaker_id>/photo"),
    # Feeds for calendar and conference apps, from the same published version.
    ("GET", "/api/v1/events/<slug>/program.ics"),
    ("GET", "/api/v1/events/<slug>/schedule.xml"),
    ("GET", "/api/v1/events/<slug>/schedule.json"),
    # A participant's calendar feed: the secret token in its URL is the credential (calendar
    # apps send no headers); unknown, rotated or cancelled tokens answer 404.
    ("GET", "/api/v1/calendars/<token>.ics"),
}
UNGUARDED = {("GET", "/api/v1/openapi.json")}  # the API's own document


def _routes(app) -> list[tuple[str, str, Access]]:
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (method, rule.rule) in UNGUARDED:
                continue
            handler = getattr(getattr(view, "view_class", None), method.lower(), view)
            access = getattr(handler, ACCESS_ATTR, None)
            assert access is not None, f"{method} {rule.rule} declares no access rule"
            found.append((method, rule.rule, access))
    return found


@pytest.fixture
def world(session, event):
    """One of everything a route may name, and a signed-in account of every role."""
    delegation = factories.make_delegation(session, event)
    company = factories.make_company(session, event)
    gates = setup_demo_zones(session, event, now=factories.NOW)
    device, token = devices.issue(session, gate=gates["main-entrance"], name="lane",
                                  now=factories.NOW, actor="test")
    person = factories.make_participant(session, event)
    code = badges.badge_token(session, badges.ensure_badge(session, person, now=factories.NOW))
    session.commit()
    context = devices.authenticate(session, token, now=factories.NOW)
    scan = checkin.scan(session, context, code=code, gate="main-entrance", nonce="n-1",
                        scanned_at=None, now=factories.NOW)
    session.commit()
    values = {"slug": event.slug, "checkin_id": scan.checkin["id"],
              "participant_id": person.public_id, "gate": "main-entrance",
              "company_id": company.public_id, "device_id": device.public_id}
    headers = {role: staff_headers(session, role, event=event, delegation=delegation,
                                   company=company) for role in Role}
    return values, headers, {"Authorization": f"Bearer {token}"}


def _url(rule: str, values: dict) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(values.get(m.group(1), "nope")), rule)


def _call(client, method: str, url: str, headers: dict | None = None):
    body = {} if method in ("POST", "PATCH", "PUT") else None
    response = client.open(url, method=method, json=body, headers=headers or {})
    response.get_data()  # a streamed answer (exports) runs to its end inside the request
    return response


def test_every_route_declares_its_access(app):
    routes = _routes(app)
    public = {(m, r) for m, r, a in routes if a.kind == "public"}
    assert public == PUBLIC
    assert len(routes) > 30


def test_anonymous_callers_are_refused(app, client, world):
    values, _headers, _device = world
    for method, rule, access in _routes(app):
        if access.kind == "public":
            continue
        r = _call(client, method, _url(rule, values))
        assert r.status_code == 401, (method, rule, r.status_code, r.get_data(as_text=True))
        assert r.mimetype == "application/problem+json"


def test_every_wrong_role_is_refused_and_the_right_ones_pass(app, client, world):
    values, headers, _device = world
    for method, rule, access in _routes(app):
        if access.kind != "staff" or not access.permissions:
            continue
        for role in Role:
            r = _call(client, method, _url(rule, values), headers[role])
            allowed = (set(access.permissions) <= ROLE_PERMISSIONS[role]
                       and not (access.whole_event and role in SCOPED_ROLES))
            if allowed:
                assert r.status_code not in (401, 403) or r.json["code"] != "insufficient_role", \
                    (role, method, rule, r.get_data(as_text=True))
            else:
                assert r.status_code == 403, (role, method, rule, r.status_code)
                assert r.json["code"] == "insufficient_role"


def test_credentials_of_the_wrong_kind_are_refused(app, client, world):
    values, headers, device = world
    for method, rule, access in _routes(app):
        url = _url(rule, values)
        if access.kind in ("device", "registrant", "speaker"):
            r = _call(client, method, url, headers[Role.ADMIN])
            assert r.status_code == 401, (method, rule, r.status_code)
        elif access.kind == "staff" and not access.device_too:
            r = _call(client, method, url, device)
            assert r.status_code == 401, (method, rule, r.status_code)


def test_the_document_names_401_and_403_of_every_staff_route(app, client):
    spec = client.get("/api/v1/openapi.json").json
    for method, rule, access in _routes(app):
        if access.kind == "public":
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)
        responses = spec["paths"][path][method.lower()]["responses"]
        expected = {"401", "403"} if access.kind == "staff" else {"401"}
        assert expected <= set(responses), (method, rule, sorted(responses))
        for status in expected:
            assert "application/problem+json" in responses[status]["content"], (method, rule)


def test_speaker_routes_take_only_a_speaker_link(app, client, session, event, world):
    """A speaker's link token opens the speaker routes and nothing else; a manage token or
    a scanner token does not open them."""
    from forum.program import speaker_links

    values, _headers, device = world
    speaker = factories.make_speaker(session, event)
    token = speaker_links.issue(session, speaker, event=event, now=factories.NOW, actor="t")
    _person, manage = factories.make_registrant(session, event)
    session.commit()
    link = {"Authorization": f"Bearer {token}"}
    routes = _routes(app)
    speaker_routes = [(m, r) for m, r, a in routes if a.kind == "speaker"]
    assert ("GET", "/api/v1/speakers/me") in speaker_routes
    for method, rule in speaker_routes:
        url = _url(rule, values)
        assert _call(client, method, url, link).status_code not in (401, 403), (method, rule)
        for other in (device, {"Authorization": f"Bearer {manage}"}):
            r = _call(client, method, url, other)
            assert r.status_code == 401 and r.json["code"] == "invalid_speaker_link"
    for method, rule, access in routes:
        if access.kind == "registrant":
            assert _call(client, method, _url(rule, values), link).status_code == 401
