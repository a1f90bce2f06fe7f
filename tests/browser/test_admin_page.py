"""The organizer panel in Chromium: sign in, find by a Cyrillic fragment, approve press, and a
delegation head who sees only their own people."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.accounts.models import Role
from forum.checkin.demo import setup_demo_zones
from forum.checkin.models import Gate
from forum.events.models import Event
from forum.registration.models import Participant, Status
from tests import factories
from tests.auth import PASSWORD, make_account

LAPTOP = {"width": 1366, "height": 860}


@pytest.fixture(scope="module")
def people(live_app):
    """Staff accounts and a few participants in the live server's database."""
    from forum.extensions import db

    with live_app.app_context():
        session = db.session
        event = session.scalar(select(Event).where(Event.slug == "digital-bridge"))
        uz = factories.make_delegation(session, event, country="UZ", name="Uzbekistan")
        kg = factories.make_delegation(session, event, country="KG", name="Kyrgyzstan")
        factories.make_participant(session, event, first_name="Nurlan", last_name="Seitkali",
                                   first_name_cyrillic="Нұрлан", last_name_cyrillic="Сейтқали",
                                   email="nurlan.s@example.kz")
        press = factories.make_participant(session, event, category="press", by_organizer=False,
                                           first_name="Dana", last_name="Reporter",
                                           email="dana@press.example.kz")
        factories.make_participant(session, event, delegation_code=uz.invitation_code,
                                   first_name="Bekzod", last_name="Karimov",
                                   email="bekzod@example.uz")
        factories.make_participant(session, event, delegation_code=kg.invitation_code,
                                   first_name="Aibek", last_name="Toktogulov",
                                   email="aibek@example.kg")
        setup_demo_zones(session, event, now=factories.NOW)
        organizer = make_account(session, event=event, email="org.panel@example.kz")
        head = make_account(session, role=Role.DELEGATION_HEAD, event=event, delegation=uz,
                            email="head.panel@example.uz")
        session.commit()
        out = {"organizer": organizer.email, "head": head.email, "press": press.public_id}
        session.remove()
    return out


def _sign_in(page, email: str) -> None:
    page.set_viewport_size(LAPTOP)
    page.goto("/admin")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#sign-in button[type=submit]")
    expect(page.locator("#shell")).to_be_visible()


def test_sign_in_and_find_by_a_cyrillic_fragment(new_page, people):
    page = new_page("ru-RU")
    page.goto("/admin")
    page.fill("#email", people["organizer"])
    page.fill("#password", "wrong password")
    page.click("#sign-in button[type=submit]")
    expect(page.locator("#sign-in-alert")).to_have_text("Неверная почта или пароль.")
    _sign_in(page, people["organizer"])
    expect(page.locator("#nav a[aria-current=page]")).to_have_text("Сводка")  # the dashboard
    page.click("#nav a[href='#participants']")
    page.fill("#q", "сейтқ")
    page.click("form.toolbar button[type=submit]")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Нұрлан Сейтқали")
    rows.first.locator(".row-link").click()
    expect(page.locator("#drawer")).to_be_visible()
    expect(page.locator("#drawer-body")).to_contain_text("nurlan.s@example.kz")


def test_approve_a_press_registration(new_page, people, query):
    page = new_page("en-US")
    _sign_in(page, people["organizer"])
    page.click("#nav a[href='#approvals']")
    row = page.locator("table tbody tr", has_text="Dana Reporter")
    expect(row).to_be_visible()
    row.locator(".row-link").click()
    page.fill("#action-reason", "Press card checked")
    page.click("#drawer-body button:has-text('Approve')")
    expect(page.locator("#drawer-body")).to_contain_text("Confirmed")
    status = query(lambda s: s.scalar(select(Participant.status).where(
        Participant.public_id == people["press"])))
    assert status is Status.CONFIRMED


def test_a_delegation_head_sees_only_their_people(new_page, people):
    page = new_page("kk-KZ")
    _sign_in(page, people["head"])
    # Their own people, their own roster in and out; nothing of the whole event.
    expect(page.locator("#nav a")).to_have_text(
        ["Қатысушылар", "Делегациялар", "Компаниялар", "Импорт", "Экспорт"])
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Bekzod Karimov")
    expect(page.locator("table")).not_to_contain_text("Toktogulov")


ROSTER_HEADER = "First name,Last name,Email,Country,Category\n"


def test_import_shows_the_bad_row_then_imports_the_fixed_file(new_page, people, query):
    page = new_page("en-US")
    _sign_in(page, people["organizer"])
    page.click("#nav a[href='#import']")
    bad = ROSTER_HEADER + ("Timur,Ospanov,timur.o@example.kz,KZ,attendee\n"
                           "Gulnara,Bekova,not-an-email,KZ,attendee\n")
    page.set_input_files("#import-file", files=[{
        "name": "roster.csv", "mimeType": "text/csv", "buffer": bad.encode()}])
    page.click("#import-check")
    expect(page.locator("#import-report tr.bad")).to_have_count(1)
    expect(page.locator("#import-report tr.bad")).to_contain_text("3")
    expect(page.locator("#import-commit")).to_be_disabled()
    count = query(lambda s: s.scalar(select(Participant.id).where(
        Participant.email == "timur.o@example.kz")))
    assert count is None  # checking wrote nothing

    good = bad.replace("not-an-email", "gulnara.b@example.kz")
    page.set_input_files("#import-file", files=[{
        "name": "roster.csv", "mimeType": "text/csv", "buffer": good.encode()}])
    page.click("#import-check")
    expect(page.locator("#import-summary")).to_contain_text("2 rows checked")
    page.click("#import-commit")
    expect(page.locator("#import-summary")).to_contain_text("Imported: 2 new")
    emails = query(lambda s: set(s.scalars(select(Participant.email).where(
        Participant.email.in_(["timur.o@example.kz", "gulnara.b@example.kz"])))))
    assert emails == {"timur.o@example.kz", "gulnara.b@example.kz"}


def test_export_downloads_a_spreadsheet(new_page, people):
    page = new_page("ru-RU")
    _sign_in(page, people["organizer"])
    page.click("#nav a[href='#export']")
    page.select_option("#export-format", "csv")
    with page.expect_download() as info:
        page.click("#export-download")
    download = info.value
    assert download.suggested_filename.startswith("participants-digital-bridge-")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert "nurlan.s@example.kz" in text


def test_dashboard_and_delegations(new_page, people):
    page = new_page("en-US")
    _sign_in(page, people["organizer"])
    page.click("#nav a[href='#dashboard']")
    expect(page.locator("#dash-tiles .tile")).to_have_count(5)
    expect(page.locator("#dash-tiles")).to_contain_text("Awaiting approval")
    page.click("#nav a[href='#delegations']")
    row = page.locator("table tbody tr", has_text="Uzbekistan")
    expect(row).to_contain_text("1 of ∞")
    row.locator(".row-link").click()
    expect(page.locator("#drawer-body")).to_contain_text("Bekzod Karimov")
    old = page.locator("#org-code").inner_text()
    page.click("#org-new-code")
    expect(page.locator("#org-code")).not_to_have_text(old)


def test_audit_log_names_who_did_what(new_page, people):
    page = new_page("en-US")
    _sign_in(page, people["organizer"])
    page.click("#nav a[href='#participants']")
    page.fill("#q", "seitkali")
    page.click("form.toolbar button[type=submit]")
    page.locator("table tbody tr .row-link").first.click()  # opening a record is logged
    expect(page.locator("#drawer")).to_be_visible()
    page.click("#drawer-close")
    page.click("#nav a[href='#audit']")
    page.fill("#audit-action", "participant.view")
    page.click("form.toolbar button[type=submit]")
    expect(page.locator("table tbody tr").first).to_contain_text("participant.view")


def test_an_invitation_link_sets_the_password_then_signs_in(new_page, live_app, query):
    from forum.accounts import service as accounts

    def invite(session):
        event = session.scalar(select(Event).where(Event.slug == "digital-bridge"))
        account = accounts.create_account(
            session, email="new.staff@example.kz", name="New Staff", password=None,
            grants=[accounts.GrantSpec(Role.VIEWER, event.id)], now=factories.NOW)
        token = accounts.invite(session, account, now=factories.NOW, actor="test")
        session.commit()
        return token

    token = query(invite)
    page = new_page("ru-RU")
    page.goto(f"/admin#invite={token}")
    expect(page.locator("#invite")).to_be_visible()
    assert "invite" not in page.url  # the token leaves the address bar
    page.fill("#invite-password", "a fresh long secret 5")
    page.fill("#invite-repeat", "a fresh long secret 5")
    page.click("#invite button[type=submit]")
    expect(page.locator("#sign-in-alert")).to_have_text("Пароль сохранён. Войдите.")
    expect(page.locator("#email")).to_have_value("new.staff@example.kz")
    page.fill("#password", "a fresh long secret 5")
    page.click("#sign-in button[type=submit]")
    expect(page.locator("#nav a")).to_have_text(["Сводка"])  # a viewer sees figures only


def test_gate_names_in_the_panel_language_and_renamed_for_the_scanners(new_page, people, query):
    page = new_page("kk-KZ")
    _sign_in(page, people["organizer"])
    page.click("#nav a[href='#devices']")
    gate = page.locator("#device-gate")
    expect(gate.locator("option[value=main-entrance]")).to_have_text("Басты кіреберіс · Алаң")
    gate.select_option("plenary-door")
    expect(page.locator("#gate-names-ru")).to_have_value("Вход в пленарный зал")
    page.fill("#gate-names-kk", "Пленарлық зал, солтүстік есік")
    page.click("#gate-names + button[type=submit]")
    expect(page.locator("#page-alert")).to_have_text("Кіреберіс атауы сақталды.")
    expect(gate.locator("option[value=plenary-door]")).to_have_text(
        "Пленарлық зал, солтүстік есік · Пленарлық зал")
    names = query(lambda s: s.scalar(select(Gate.names).where(Gate.slug == "plenary-door")))
    assert names["kk"] == "Пленарлық зал, солтүстік есік"
    assert names["en"] == "Plenary hall door"  # the languages left as they were
