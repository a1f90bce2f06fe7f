"""The way back in: a second registration offers the manage link again by e-mail, and a
mailed link opened on the manage page proves the address (headless Chromium, in kk)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from forum.mail import messages
from forum.mail.models import RECOVERY_KIND, OutboxMessage
from forum.registration.models import Participant

from .test_register_page import fill_valid

pytestmark = pytest.mark.browser


def test_already_registered_offers_the_link_again_in_kazakh(new_page, query):
    page = new_page("kk-KZ")
    page.goto("/register")
    fill_valid(page, email="again@example.kz")
    page.click("#submit")
    expect(page.locator("#done")).to_be_visible()
    page.reload()
    fill_valid(page, email="again@example.kz")
    page.click("#submit")
    expect(page.locator("#form-alert")).to_contain_text("қайта жіберуді сұраңыз")
    expect(page.locator("#recover")).to_be_visible()
    expect(page.locator("#recover-email")).to_have_value("again@example.kz")
    page.click("#recover-send")
    expect(page.locator("#recover-status")).to_contain_text("жаңа сілтеме")
    requests = query(lambda s: s.scalar(select(func.count()).where(
        OutboxMessage.kind == RECOVERY_KIND, OutboxMessage.to_address == "again@example.kz")))
    assert requests == 1


def test_a_mailed_link_proves_the_address(page, live_app, query):
    page.goto("/register")
    fill_valid(page, email="proof@example.kz")
    page.click("#submit")
    expect(page.locator("#done")).to_be_visible()
    link = page.locator("#manage-link").get_attribute("href")
    token = link.split("#token=", 1)[1]
    with live_app.app_context():
        proof = messages.email_proof(token, secret=live_app.config["SECRET_KEY"])
    page.goto(f"/manage#token={token}&proof={proof}")
    expect(page.locator("#d-email")).to_have_text("proof@example.kz")
    page.wait_for_function("() => !location.hash")
    verified = query(lambda s: s.scalar(select(Participant.email_verified_at).where(
        Participant.email == "proof@example.kz")))
    for _ in range(20):
        if verified is not None:
            break
        page.wait_for_timeout(100)
        verified = query(lambda s: s.scalar(select(Participant.email_verified_at).where(
            Participant.email == "proof@example.kz")))
    assert verified is not None


def test_the_recover_link_of_a_message_opens_the_form(page):
    page.goto("/register#recover")
    expect(page.locator("#recover")).to_be_visible()
    page.fill("#recover-email", "not an address")
    page.click("#recover-send")
    expect(page.locator("#recover-status")).not_to_be_empty()
