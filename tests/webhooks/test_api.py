"""The organizers' webhook API: the secret shown once and stored sealed, URL rules (https,
no credentials, no private destinations in production), scoped roles refused, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum import keyring
from forum.accounts.models import Role
from forum.audit.models import AuditEntry
from forum.webhooks import service, urls
from forum.webhooks.models import WebhookEndpoint

from .. import factories
from ..auth import staff_headers

BASE = "/api/v1/events/{}/webhooks"


@pytest.fixture
def organizer(session, event):
    return staff_headers(session, event=event)


@pytest.fixture
def local_allowed(app):
    app.config["FORUM_WEBHOOK_ALLOW_PRIVATE"] = True


def _create(client, event, headers, url="http://127.0.0.1:9/hooks", events=None):
    return client.post(BASE.format(event.slug), headers=headers,
                       json={"url": url, "events": events or ["registration.created"]})


def test_the_secret_is_shown_once_and_stored_sealed(app, client, session, event, organizer,
                                                    local_allowed):
    created = _create(client, event, organizer, events=["checkin.created",
                                                        "registration.created"])
    assert created.status_code == 201
    body = created.get_json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 40
    assert body["events"] == ["checkin.created", "registration.created"]
    assert body["status"] == "active"
    listed = client.get(BASE.format(event.slug), headers=organizer).get_json()
    assert [w["id"] for w in listed] == [body["id"]] and "secret" not in listed[0]
    detail = client.get(f"{BASE.format(event.slug)}/{body['id']}", headers=organizer).get_json()
    assert "secret" not in detail and detail["deliveries"] == []
    endpoint = session.scalar(select(WebhookEndpoint))
    assert body["secret"].encode() not in bytes(endpoint.secret_sealed)
    assert service.secret_of(endpoint, kek=keyring.key_encryption_key(app.config)) == \
        body["secret"]
    actions = set(session.scalars(select(AuditEntry.action)))
    assert "webhook.create" in actions


@pytest.mark.parametrize(("url", "why"), [
    ("ftp://partner.example.kz/hooks", "http(s)"),
    ("https://user:pw@partner.example.kz/hooks", "user name"),
    ("javascript:alert(1)", "http(s)"),
])
def test_urls_that_are_refused_anywhere(client, event, organizer, url, why):
    answer = _create(client, event, organizer, url=url)
    assert answer.status_code == 422
    problem = answer.get_json()
    assert problem["code"] == "webhook_url_refused" and why in problem["errors"]["url"][0]


def test_a_local_destination_is_refused_without_the_switch(client, event, organizer):
    answer = _create(client, event, organizer, url="http://127.0.0.1:8080/hooks")
    assert answer.status_code == 422 and "private" in answer.get_json()["errors"]["url"][0]


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.5", "169.254.169.254",
                                     "[::1]", "[::ffff:10.0.0.1]", "0.0.0.0"])
def test_private_loopback_and_link_local_addresses_are_refused(address):
    with pytest.raises(urls.UrlRefused, match="private"):
        urls.check(f"https://{address}/hooks", https_only=True, allow_private=False)


def test_production_wants_https_and_ignores_the_private_switch():
    production = {"ENV_NAME": "production", "FORUM_WEBHOOK_ALLOW_PRIVATE": True}
    assert urls.policy(production) == {"https_only": True, "allow_private": False}
    with pytest.raises(urls.UrlRefused, match="https"):
        urls.check("http://93.184.216.34/hooks", **urls.policy(production))
    urls.check("https://93.184.216.34/hooks", **urls.policy(production))  # a public address
    development = {"ENV_NAME": "development", "FORUM_WEBHOOK_ALLOW_PRIVATE": True}
    urls.check("http://127.0.0.1:9/hooks", **urls.policy(development))


def test_unknown_event_types_are_refused(client, event, organizer, local_allowed):
    answer = _create(client, event, organizer, events=["registration.deleted"])
    assert answer.status_code == 422 and "events.0" in answer.get_json()["errors"]


@pytest.mark.parametrize("role", [Role.DELEGATION_HEAD, Role.COMPANY_MANAGER, Role.VIEWER])
def test_scoped_roles_and_viewers_are_refused(client, session, event, role, local_allowed):
    grant = {"event": event}
    if role is Role.DELEGATION_HEAD:
        grant["delegation"] = factories.make_delegation(session, event)
    if role is Role.COMPANY_MANAGER:
        grant["company"] = factories.make_company(session, event)
    headers = staff_headers(session, role, **grant)
    assert _create(client, event, headers).status_code == 403
    assert client.get(BASE.format(event.slug), headers=headers).status_code == 403
    assert session.scalar(select(WebhookEndpoint)) is None


def test_change_rotate_and_delete_are_audited(client, session, event, organizer, local_allowed):
    hook = _create(client, event, organizer).get_json()
    item = f"{BASE.format(event.slug)}/{hook['id']}"
    changed = client.patch(item, headers=organizer,
                           json={"events": ["registration.cancelled"], "active": False})
    assert changed.status_code == 200
    assert changed.get_json()["events"] == ["registration.cancelled"]
    assert changed.get_json()["status"] == "disabled"
    refused = client.patch(item, headers=organizer, json={"url": "https://u:p@x.example/"})
    assert refused.status_code == 422
    rotated = client.post(f"{item}/rotate-secret", headers=organizer)
    assert rotated.status_code == 200 and rotated.get_json()["secret"] != hook["secret"]
    assert client.delete(item, headers=organizer).status_code == 204
    assert client.get(item, headers=organizer).status_code == 404
    assert client.delete(item, headers=organizer).get_json()["code"] == "webhook_not_found"
    actions = list(session.scalars(select(AuditEntry.action).where(
        AuditEntry.action.like("webhook.%")).order_by(AuditEntry.id)))
    assert actions == ["webhook.create", "webhook.change", "webhook.rotate", "webhook.delete"]


def test_another_events_webhook_is_not_found(client, session, event, organizer, local_allowed):
    hook = _create(client, event, organizer).get_json()
    other = factories.make_event(session, slug="other-forum")
    session.commit()
    headers = staff_headers(session, event=other)
    assert client.get(f"{BASE.format(other.slug)}/{hook['id']}",
                      headers=headers).status_code == 404


def test_secrets_are_resealed_under_a_new_kek(app, client, session, event, organizer,
                                              local_allowed):
    hook = _create(client, event, organizer).get_json()
    old = keyring.key_encryption_key(app.config)
    new = "a-new-kek-" + "x" * 40
    assert service.reseal_all(session, old=old, new=new) == (1, 0)
    assert service.reseal_all(session, old=old, new=new) == (0, 1)
    endpoint = session.scalar(select(WebhookEndpoint))
    assert service.secret_of(endpoint, kek=new) == hook["secret"]
