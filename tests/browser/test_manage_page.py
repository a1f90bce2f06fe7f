"""The manage page: view, edit and cancel with the private link."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.registration.models import Participant, Status

pytestmark = pytest.mark.browser


def register(page, email: str) -> str:
    answer = page.request.post("/api/v1/events/digital-bridge/registrations", data={
        "first_name": "Нұрлан", "last_name": "Әбенов", "email": email, "country": "KZ",
        "organization": "Kazakhtelecom", "consent": True, "locale": "en"})
    assert answer.status == 201, answer.text()
    return answer.json()["manage_token"]


def stored(query, email: str) -> Participant:
    return query(lambda s: s.scalar(select(Participant).where(Participant.email == email)))


def test_cancel_with_confirmation(page, query):
    token = register(page, "cancel.me@example.kz")
    page.goto(f"/manage#token={token}")
    expect(page.locator("#status-value")).to_have_text("Confirmed")
    expect(page.locator("#d-name")).to_have_text("Нұрлан Әбенов")
    assert "token" not in page.url  # moved out of the address bar

    page.click("#cancel-start")
    expect(page.locator("#cancel-question")).to_be_focused()
    public_id = stored(query, "cancel.me@example.kz").public_id
    assert stored(query, "cancel.me@example.kz").status is Status.CONFIRMED
    page.click("#cancel-no")
    expect(page.locator("#cancel-confirm")).to_be_hidden()
    expect(page.locator("#cancel-start")).to_be_focused()

    page.click("#cancel-start")
    page.click("#cancel-yes")
    expect(page.locator("#status-value")).to_have_text("Cancelled")
    expect(page.locator("#edit-form")).to_be_hidden()
    expect(page.locator("#cancel-section")).to_be_hidden()
    # Cancelling erases the personal data: the email no longer finds the row.
    assert stored(query, "cancel.me@example.kz") is None
    row = query(lambda s: s.scalar(select(Participant).where(Participant.public_id == public_id)))
    assert row.status is Status.CANCELLED and row.last_name == ""


def test_edit_organization_persists(page, query):
    token = register(page, "edit.me@example.kz")
    page.goto(f"/manage#token={token}")
    expect(page.locator("#organization")).to_have_value("Kazakhtelecom")
    page.fill("#organization", "Astana Hub")
    page.fill("#phone", "12345")
    page.click("#save")
    expect(page.locator("#phone-error")).to_contain_text("international format")
    expect(page.locator("#phone")).to_be_focused()
    assert stored(query, "edit.me@example.kz").organization == "Kazakhtelecom"

    page.fill("#phone", "+77011234567")
    page.select_option("#locale", "kk")
    page.click("#save")
    expect(page.locator("#edit-status")).to_have_text("Changes saved.")
    expect(page.locator("#phone-error")).to_be_empty()
    expect(page.locator("#d-organization")).to_have_text("Astana Hub")
    row = stored(query, "edit.me@example.kz")
    assert (row.organization, row.phone, row.locale.value) == ("Astana Hub", "+77011234567", "kk")

    page.reload()  # the token stays in this tab's session storage
    expect(page.locator("#d-organization")).to_have_text("Astana Hub")


def test_invalid_or_missing_token(page):
    page.goto("/manage#token=not-a-real-token")
    expect(page.locator("#page-alert")).to_have_text(
        "This manage link is not valid. Check that you copied all of it.")
    expect(page.locator("#summary")).to_be_hidden()
    page.goto("/manage")
    expect(page.locator("#page-alert")).to_contain_text("needs your private manage link")
    expect(page.locator("#register-link-line a")).to_have_attribute("href", "/register")
