"""The badge in hand on the manage page, and what the form asks for the badge (in Kazakh)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
import zxingcpp
from icalendar import Calendar
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from forum.badges import service as badges
from forum.events.models import Event
from forum.organizations.models import Company, CompanyStatus
from forum.registration.models import Participant
from tests import factories

pytestmark = pytest.mark.browser

EVENT = "/api/v1/events/digital-bridge"
# Screenshots for a person to look at: FORUM_SHOTS=/tmp/shots pytest …
SHOTS = os.environ.get("FORUM_SHOTS")


def register(page, email: str, **extra) -> str:
    body = {"first_name": "Aigerim", "last_name": "Nurlanqyzy", "first_name_cyrillic": "Әйгерім",
            "last_name_cyrillic": "Нұрланқызы", "email": email, "country": "KZ",
            "phone": "87011234567", "consent": True, "locale": "kk", **extra}
    answer = page.request.post(f"{EVENT}/registrations", data=body)
    assert answer.status == 201, answer.text()
    return answer.json()["manage_token"]


def stored(query, email: str) -> Participant:
    return query(lambda s: s.scalar(select(Participant).where(Participant.email == email)))


def badge_code(query, email: str) -> str:
    def read(session):
        person = session.scalar(select(Participant).where(Participant.email == email))
        badge = badges.current_badge(session, person)
        return badges.badge_token(session, badge, now=factories.NOW)
    return query(read)


def wait_for_qr(page) -> None:
    expect(page.locator("#qr")).to_have_attribute("src", re.compile(r"^blob:"))
    page.locator("#qr").evaluate("img => img.decode()")


def decode(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def test_confirmed_sees_a_scannable_qr_and_downloads_in_kazakh(new_page, query):
    page = new_page("kk-KZ")
    token = register(page, "qr.kk@example.kz")
    page.goto(f"/manage#token={token}")
    expect(page.locator("#badge-heading")).to_have_text("Сіздің бейджіңіз")
    expect(page.locator("#d-phone")).to_have_text("+7 701 123 4567")
    expect(page.locator("#d-name")).to_have_text("Aigerim Nurlanqyzy (Әйгерім Нұрланқызы)")
    expect(page.locator("#d-country")).to_have_text("Қазақстан")
    qr = page.locator("#qr")
    wait_for_qr(page)
    box = qr.bounding_box()
    assert box["width"] >= 0.75 * 390  # most of a phone's width: easy for a door scanner
    # What a door scanner sees: the screenshot of the code is the badge's signed token.
    assert decode(page.locator(".qr-box").screenshot()) == [badge_code(query, "qr.kk@example.kz")]
    expect(page.locator(".brightness")).to_contain_text("жарықтығын")
    expect(page.locator(".entry-steps li")).to_have_count(4)

    with page.expect_download() as pdf:
        page.click("#download-pdf")
    data = Path(pdf.value.path()).read_bytes()
    assert data.startswith(b"%PDF") and pdf.value.suggested_filename == "badge.pdf"
    with page.expect_download() as ics:
        page.click("#download-ics")
    [entry] = Calendar.from_ical(Path(ics.value.path()).read_bytes()).walk("VEVENT")
    assert "Қазақстан" in str(entry["location"]) and str(entry["summary"]) == "Digital Bridge 2026"
    expect(page.locator("#badge-status")).to_have_text("Файл жүктелді.")


def test_pending_sees_the_status_and_no_qr(new_page):
    page = new_page("kk-KZ")
    token = register(page, "press.kk@example.kz", category="press")
    page.goto(f"/manage#token={token}")
    expect(page.locator("#status-value")).to_have_attribute("data-status", "pending")
    expect(page.locator("#summary")).to_be_visible()
    expect(page.locator("#badge-card")).to_be_hidden()
    assert page.locator("#qr").get_attribute("src") is None


def test_form_asks_what_the_badge_needs_in_kazakh(new_page, query, live_app):
    def add_companies(session):
        event = session.scalar(select(Event).where(Event.slug == "digital-bridge"))
        factories.make_company(session, event, name="Astana Hub")
        factories.make_company(session, event, name="Secret Pending LLP",
                               status=CompanyStatus.PENDING)
        session.commit()
    query(add_companies)
    page = new_page("ru-RU")  # a Russian phone …
    page.goto("/register")
    page.click("#lang-switch [data-locale='kk']")  # … on the Kazakh page
    expect(page.locator("#country option[value='KZ']")).to_have_text("Қазақстан")
    expect(page.locator("#country option[value='DE']")).to_have_text("Германия")
    expect(page.locator("#country option")).to_have_count(250)  # 249 and "choose"
    expect(page.locator("#companies option")).to_have_count(1)
    assert page.locator("#companies option").get_attribute("value") == "Astana Hub"

    page.fill("#first_name", "Aigerim")
    page.fill("#last_name", "Nurlanqyzy")
    page.click("#cyrillic summary")
    page.fill("#first_name_cyrillic", "Әйгерім")
    page.fill("#last_name_cyrillic", "Нұрланқызы")
    page.fill("#email", "form.kk@example.kz")
    # The dialling code follows the country until the person picks one.
    page.select_option("#country", "DE")
    expect(page.locator("#phone_country")).to_have_value("DE")
    page.select_option("#country", "KZ")
    expect(page.locator("#phone_country")).to_have_value("KZ")
    page.fill("#phone", "8 701 123 45 67")
    page.fill("#organization", "Astana Hub")
    page.check("#has_code")
    page.fill("#delegation_code", "D-WRONG")
    page.check("#consent")
    page.click("#submit")
    expect(page.locator("#delegation_code-error")).to_have_text(
        "Шақыру коды табылмады. Кодты тексеріп, қайталап көріңіз.")
    expect(page.locator("#delegation_code")).to_be_focused()
    expect(page.locator("#delegation_code")).to_have_attribute("aria-invalid", "true")
    assert stored(query, "form.kk@example.kz") is None

    page.uncheck("#has_code")
    page.click("#submit")
    expect(page.locator("#done")).to_be_visible()
    row = stored(query, "form.kk@example.kz")
    assert (row.first_name_cyrillic, row.last_name_cyrillic) == ("Әйгерім", "Нұрланқызы")
    assert (row.phone, row.organization, row.locale.value) == ("+77011234567", "Astana Hub", "kk")


def test_a_dialling_code_chosen_by_hand_stays(new_page, query):
    page = new_page("en-US")
    page.goto("/register")
    expect(page.locator("#phone_country")).to_have_value("KZ")
    page.select_option("#phone_country", "DE")
    page.select_option("#country", "UZ")
    expect(page.locator("#phone_country")).to_have_value("DE")  # the person's choice stays


def test_company_applies_from_its_page(new_page, query):
    page = new_page("kk-KZ")
    page.goto("/apply")
    expect(page.locator("#form-heading")).to_have_text("Компанияны форумға тіркеу")
    page.fill("#name", "Qazaq Cloud")
    page.select_option("#country", "KZ")
    page.fill("#website", "not a site")
    page.fill("#contact_name", "Ерлан Серікұлы")
    page.fill("#contact_email", "erlan@qazaq.cloud")
    page.check("#exhibitor")
    page.check("#consent")
    page.click("#submit")
    expect(page.locator("#website-error")).to_have_text(
        "Сайттың толық мекенжайын басындағы протоколымен (://) бірге жазыңыз.")
    page.fill("#website", "https://qazaq.cloud")
    page.click("#submit")
    expect(page.locator("#done-heading")).to_have_text("Өтініш қабылданды")
    company = query(lambda s: s.scalar(select(Company).where(Company.name == "Qazaq Cloud")))
    assert company.status is CompanyStatus.PENDING and company.exhibitor
    assert company.contact_email == "erlan@qazaq.cloud"


@pytest.mark.skipif(not SHOTS, reason="screenshots only when FORUM_SHOTS names a folder")
def test_screenshots(browser, live_server):
    """Phone and laptop pictures of the three pages in every language."""
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for width, height in ((390, 844), (1366, 768)):
        for lang in ("kk", "ru", "en"):
            context = browser.new_context(viewport={"width": width, "height": height},
                                          locale=lang, base_url=live_server)
            context.clock.install(time=factories.NOW)
            page = context.new_page()
            token = register(page, f"shot.{lang}.{width}@example.kz", locale=lang)
            page.goto(f"/manage#token={token}")
            wait_for_qr(page)
            page.screenshot(path=folder / f"manage-{lang}-{width}.png", full_page=True)
            page.goto("/register")
            expect(page.locator("#country option[value='KZ']")).to_be_attached()
            page.click("#cyrillic summary")
            page.screenshot(path=folder / f"register-{lang}-{width}.png", full_page=True)
            page.goto("/apply")
            expect(page.locator("#apply-form")).to_be_visible()
            page.screenshot(path=folder / f"apply-{lang}-{width}.png", full_page=True)
            context.close()


def test_manage_page_takes_a_phone_as_typed(new_page, query):
    page = new_page("kk-KZ")
    token = register(page, "phone.kk@example.kz")
    page.goto(f"/manage#token={token}")
    expect(page.locator("#phone")).to_have_value("+7 701 123 4567")
    page.fill("#phone", "8 702 555 66 77")
    page.click("#save")
    expect(page.locator("#d-phone")).to_have_text("+7 702 555 6677")
    assert stored(query, "phone.kk@example.kz").phone == "+77025556677"
    page.fill("#phone", "12")
    page.click("#save")
    expect(page.locator("#phone-error")).to_contain_text("халықаралық форматта")
