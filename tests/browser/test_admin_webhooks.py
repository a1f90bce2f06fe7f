"""The panel's webhook section in Chromium (kk): an endpoint added shows its secret once,
then is listed with its status and switched off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.events.models import Event
from forum.webhooks.models import WebhookEndpoint
from tests.auth import make_account

from .test_admin_page import _sign_in

pytestmark = pytest.mark.browser
URL = "https://93.184.216.34/hooks"  # a public address: accepted without the private switch


@pytest.fixture(scope="module")
def organizer(live_app):
    from forum.extensions import db

    with live_app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == "digital-bridge"))
        email = make_account(db.session, event=event, email="org.hooks@example.kz").email
        db.session.remove()
    return email


def test_an_organizer_adds_a_webhook_sees_the_secret_once_and_switches_it_off(
        new_page, organizer, query):
    page = new_page("kk-KZ")
    _sign_in(page, organizer)
    page.click("#nav a[href='#mail']")
    expect(page.get_by_role("heading", name="Серіктестерге арналған вебхуктар")).to_be_visible()
    page.fill("#hooks-url", URL)
    page.get_by_role("button", name="Вебхук қосу").click()
    expect(page.locator("#hooks-secret")).to_contain_text("whsec_")
    row = page.locator("#hooks-list tbody tr", has_text=URL)
    expect(row).to_contain_text("Қосулы")
    expect(row).to_contain_text("Тіркелу жасалды")
    row.get_by_role("button", name="Өшіру").click()
    expect(page.locator("#hooks-list tbody tr", has_text=URL)).to_contain_text("Өшірулі")
    active = query(lambda s: s.scalar(select(WebhookEndpoint.active).where(
        WebhookEndpoint.url == URL)))
    assert active is False
