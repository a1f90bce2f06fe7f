"""The registration page in headless Chromium against the live app."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from forum.registration.models import Participant

pytestmark = pytest.mark.browser

KAZAKH_LETTERS = set("әғқңөұүһі")


def fill_valid(page, *, email: str, first: str = "Әлия", last: str = "Қасымова") -> None:
    page.fill("#first_name", first)
    page.fill("#last_name", last)
    page.fill("#email", email)
    page.select_option("#country", "KZ")
    page.fill("#organization", "Astana Hub")
    page.fill("#phone", "+7 701 123 45 67")
    page.check("#consent")


def participant(query, email: str) -> Participant | None:
    return query(lambda s: s.scalar(select(Participant).where(Participant.email == email)))


def test_register_with_kazakh_name_shows_confirmation_and_stores_name(page, query):
    page.goto("/register")
    expect(page.locator("#event-name")).to_have_text("Digital Bridge 2026")
    expect(page.locator("#event-dates")).to_have_text("November 26 – 27, 2026")
    expect(page.locator("#event-venue")).to_have_text("EXPO Congress Centre, Astana")
    expect(page.locator("#category")).to_have_value("attendee")
    fill_valid(page, email="aliya@example.kz")
    page.click("#submit")

    done = page.locator("#done")
    expect(done).to_be_visible()
    expect(page.locator("#done-heading")).to_have_text("You are registered")
    expect(page.locator("#done-status")).to_have_text("Confirmed")
    expect(done).to_be_focused()
    link = page.locator("#manage-link")
    expect(link).to_have_attribute("href", re.compile(r"^http://127\.0\.0\.1:\d+/manage#token=.{40,}$"))
    expect(page.locator("#reg-form")).to_be_hidden()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("#copy-link")
    expect(page.locator("#copy-status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == link.get_attribute("href")

    stored = participant(query, "aliya@example.kz")
    assert stored is not None
    assert (stored.first_name, stored.last_name) == ("Әлия", "Қасымова")
    assert stored.status.value == "confirmed"
    assert stored.phone == "+77011234567"
    assert stored.locale.value == "en"
    assert stored.public_id == page.locator("#done-id").text_content()


def test_invalid_email_is_shown_under_the_field(page, query):
    page.goto("/register")
    expect(page.locator("#reg-form")).to_be_visible()

    # Nothing filled: the browser points at the first missing field without asking the server.
    page.click("#submit")
    expect(page.locator("#first_name")).to_be_focused()
    expect(page.locator("#first_name-error")).to_have_text("This field is required.")
    expect(page.locator("#consent-error")).to_have_text(
        "Please accept the privacy notice to register.")

    # An address the server rejects: its message lands under the email field.
    fill_valid(page, email="aliya@example")
    page.click("#submit")
    email = page.locator("#email")
    expect(page.locator("#email-error")).to_contain_text("Check the e-mail address")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_attribute("aria-describedby", re.compile(r"\bemail-error\b"))
    expect(email).to_be_focused()
    expect(page.locator("#form-alert")).to_have_text("Please correct the highlighted fields.")
    expect(page.locator("#first_name")).not_to_have_attribute("aria-invalid", "true")
    assert participant(query, "aliya@example") is None

    # In Kazakh the same server error reads in Kazakh.
    page.click("#lang-switch button[data-locale=kk]")
    expect(page.locator("#email-error")).to_have_text(
        "Электрондық пошта мекенжайы дұрыс емес. Мысалы: name@example.com")

    # Corrected, the error goes away and the registration goes through.
    email.fill("aliya.fixed@example.kz")
    page.click("#submit")
    expect(page.locator("#done")).to_be_visible()
    expect(page.locator("#done-heading")).to_have_text("Сіз тіркелдіңіз")
    assert participant(query, "aliya.fixed@example.kz").locale.value == "kk"


def test_category_needing_approval_explains_pending(page, query):
    page.goto("/register")
    fill_valid(page, email="reporter@example.kz", first="Мадина", last="Жұмабаева")
    page.select_option("#category", "press")
    page.click("#submit")
    expect(page.locator("#done-heading")).to_have_text("Registration received")
    expect(page.locator("#done-status")).to_have_text("Pending approval")
    expect(page.locator("#done-explain")).to_contain_text("The organizers will review")
    assert participant(query, "reporter@example.kz").status.value == "pending"


def test_language_switch_changes_texts_and_is_remembered(page, new_page):
    page.goto("/register")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("label[for=first_name]")).to_contain_text("First name")

    page.click("#lang-switch button[data-locale=kk]")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("label[for=first_name]")).to_contain_text("Аты")
    expect(page.locator("label[for=last_name]")).to_contain_text("Тегі")
    expect(page.locator("#submit")).to_have_text("Тіркелу")
    expect(page.locator("#privacy-heading")).to_have_text("Құпиялылық туралы ескерту")
    expect(page.locator("#category option[value=attendee]")).to_have_text("Қатысушы")
    expect(page.locator("#country option").nth(1)).to_have_text("Қазақстан")
    expect(page.locator("#event-dates")).to_have_text("2026 жылғы 26–27 қараша")
    expect(page.locator("#event-venue")).to_have_text("EXPO конгресс-орталығы, Астана")
    expect(page.locator("#lang-switch button[data-locale=kk]")).to_have_attribute(
        "aria-pressed", "true")

    page.click("#lang-switch button[data-locale=ru]")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("label[for=first_name]")).to_contain_text("Имя")
    expect(page.locator("#submit")).to_have_text("Зарегистрироваться")
    expect(page.locator("#category option[value=press]")).to_have_text(
        "Пресса (с одобрения организаторов)")
    expect(page.locator("#country option").nth(1)).to_have_text("Казахстан")
    expect(page.locator("#event-venue")).to_have_text("Конгресс-центр EXPO, Астана")

    page.reload()
    expect(page.locator("label[for=first_name]")).to_contain_text("Имя")

    # A first visit follows the browser language.
    russian = new_page(locale="ru-RU")
    russian.goto("/register")
    expect(russian.locator("html")).to_have_attribute("lang", "ru")
    expect(russian.locator("#email-hint")).to_have_text("Одна регистрация на один адрес.")


def test_retry_after_a_lost_answer_reuses_the_key_and_registers_once(page, query):
    seen: list[dict] = []

    def lose_first_answer(route):
        seen.append(route.request.headers)
        if len(seen) == 1:
            route.fetch()  # the server registers…
            route.abort("connectionreset")  # …but the phone never hears back
        else:
            route.continue_()

    page.route("**/registrations", lose_first_answer)
    page.goto("/register")
    fill_valid(page, email="flaky@example.kz", first="Dana", last="Omarova")
    page.click("#submit")
    expect(page.locator("#done")).to_be_visible()

    assert len(seen) == 2
    keys = {headers["idempotency-key"] for headers in seen}
    assert len(keys) == 1 and re.fullmatch(r"[0-9a-f-]{36}", keys.pop())
    count = query(lambda s: s.scalar(select(func.count()).select_from(Participant)
                                     .where(Participant.email == "flaky@example.kz")))
    assert count == 1


def test_already_registered_and_closed_event_messages(page, new_page):
    page.goto("/register")
    fill_valid(page, email="twice@example.kz")
    page.click("#submit")
    expect(page.locator("#done")).to_be_visible()
    page.reload()  # a new form fill: a new key, so the server checks the address
    fill_valid(page, email="twice@example.kz")
    page.click("#submit")
    alert = page.locator("#form-alert")
    expect(alert).to_contain_text("already registered for the event")
    expect(alert).to_be_focused()

    closed = new_page()
    closed.goto("/register?event=closed-edition")
    expect(closed.locator("#event-name")).to_have_text("Digital Bridge 2025")
    expect(closed.locator("#page-alert")).to_have_text("Registration for this event is closed.")
    expect(closed.locator("#reg-form")).to_be_hidden()

    closed.goto("/register?event=no-such-event")
    expect(closed.locator("#page-alert")).to_have_text("This event was not found. Check the link.")
