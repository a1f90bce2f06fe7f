"""The panel's group message in Chromium (kk): compose in the tabs, preview, send to one
delegation after confirming, see it in the log; the outbox row holds the Kazakh text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.events.models import Event
from forum.mail.models import OutboxMessage
from tests import factories
from tests.auth import make_account

from .test_admin_page import _sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def mailing_world(live_app):
    from forum.extensions import db

    with live_app.app_context():
        session = db.session
        event = session.scalar(select(Event).where(Event.slug == "digital-bridge"))
        uz = factories.make_delegation(session, event, country="UZ", name="Өзбекстан делегациясы")
        factories.make_delegation(session, event, country="KG", name="Қырғызстан делегациясы")
        for name, locale in (("Dilnoza", "kk"), ("Timur", "ru")):
            factories.make_participant(session, event, first_name=name, locale=locale,
                                       category="delegate", email=f"{name.lower()}@example.uz",
                                       delegation_code=uz.invitation_code)
        factories.make_participant(session, event, email="other@example.kz", locale="kk")
        organizer = make_account(session, event=event, email="org.mailings@example.kz")
        session.commit()
        out = {"organizer": organizer.email, "delegation": uz.public_id}
        session.remove()
    return out


def test_compose_preview_and_send_to_a_delegation(new_page, mailing_world, query):
    page = new_page("kk-KZ")
    _sign_in(page, mailing_world["organizer"])
    page.click("#nav a[href='#mail']")
    expect(page.get_by_role("heading", name="Топқа жаңа хат")).to_be_visible()
    page.select_option("#mailing-delegation", mailing_world["delegation"])
    page.fill("#mailing-subject-kk", "Делегацияға хабар")
    page.fill("#mailing-body-kk", "Құрметті {first_name}!\n\nТрансфер 9:00-де.")
    page.click("#mailing-tab-ru")
    expect(page.locator("#mailing-subject-ru")).to_be_visible()
    page.fill("#mailing-subject-ru", "Сообщение делегации")
    page.fill("#mailing-body-ru", "Здравствуйте, {first_name}!\n\nТрансфер в 9:00.")
    page.click("#mailing-tab-kk")

    page.click("#mailing-preview-button")
    expect(page.locator("#mailing-size")).to_contain_text("Алушылар саны: 2")
    expect(page.locator("#mailing-sample")).to_contain_text("Құрметті Dilnoza!")

    dialogs: list[str] = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    page.click("#mailing-send")
    expect(page.locator("#mailing-log tbody tr").first).to_contain_text("Делегацияға хабар")
    expect(page.locator("#mailing-log tbody tr").first).to_contain_text("Өзбекстан делегациясы")
    assert dialogs and "2" in dialogs[0]

    rows = query(lambda s: [(m.to_address, m.locale, m.body_text) for m in s.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "mailing").order_by(OutboxMessage.id))])
    assert [(to, locale) for to, locale, _ in rows] == [("dilnoza@example.uz", "kk"),
                                                         ("timur@example.uz", "ru")]
    assert rows[0][2] == "Құрметті Dilnoza!\n\nТрансфер 9:00-де.\n"
    assert rows[1][2].startswith("Здравствуйте, Timur!")


def test_an_unknown_placeholder_is_shown_under_its_field(new_page, mailing_world):
    page = new_page("kk-KZ")
    _sign_in(page, mailing_world["organizer"])
    page.click("#nav a[href='#mail']")
    page.click("#mailing-tab-en")
    page.fill("#mailing-subject-en", "Hello")
    page.fill("#mailing-body-en", "Hello {name}")
    page.click("#mailing-tab-kk")
    expect(page.locator("#mailing-body-en")).to_be_hidden()
    page.click("#mailing-preview-button")
    expect(page.locator("#mailing-body-en-error")).to_contain_text("{name}")
    expect(page.locator("#mailing-body-en")).to_be_visible()  # its tab was brought forward
