"""The panel's e-mail section in Chromium (kk): failed messages first, sent again on a click."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.events.models import Event
from forum.mail.models import MessageStatus, OutboxMessage
from tests import factories
from tests.auth import make_account

from .test_admin_page import _sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def mail_world(live_app):
    from forum.extensions import db

    with live_app.app_context():
        session = db.session
        event = session.scalar(select(Event).where(Event.slug == "digital-bridge"))
        factories.make_participant(session, event, email="waits@example.kz", locale="kk")
        factories.make_participant(session, event, email="bounced@example.kz", locale="kk")
        session.flush()
        bounced = session.scalar(select(OutboxMessage).where(
            OutboxMessage.to_address == "bounced@example.kz"))
        bounced.status, bounced.attempts = MessageStatus.FAILED, 8
        bounced.last_error = "550 5.1.1 No such mailbox"
        organizer = make_account(session, event=event, email="org.mail@example.kz")
        session.commit()
        out = {"organizer": organizer.email, "bounced": bounced.public_id}
        session.remove()
    return out


def test_failed_messages_come_first_and_are_sent_again(new_page, mail_world, query):
    page = new_page("kk-KZ")
    _sign_in(page, mail_world["organizer"])
    page.click("#nav a[href='#mail']")
    expect(page.get_by_role("heading", name="Пошта")).to_be_visible()
    rows = page.locator("#mail-table tbody tr")
    expect(rows.first).to_contain_text("bounced@example.kz")
    expect(rows.first).to_contain_text("Жеткізілмеді")
    expect(rows.first).to_contain_text("550 5.1.1")
    expect(page.locator("#mail-counts")).to_contain_text("жеткізілмеді: 1")

    rows.first.locator("button", has_text="Мәтін").click()
    expect(page.locator("#mail-text")).to_contain_text("[manage link]")
    expect(page.locator("#mail-text")).to_contain_text("Құрметті")

    rows.first.locator("button", has_text="Қайта жіберу").click()
    expect(page.locator("#mail-counts")).to_contain_text("жеткізілмеді: 0")
    status = query(lambda s: s.scalar(select(OutboxMessage.status).where(
        OutboxMessage.public_id == mail_world["bounced"])))
    assert status is MessageStatus.PENDING

    page.select_option("#mail-status", "sent")
    expect(page.locator("#mail-table")).to_contain_text("Әзірге ештеңе жоқ")
