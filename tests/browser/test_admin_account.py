"""My account in the organizer panel, in Chromium: change the password (the old one stops
working), turn on two-factor sign-in from the key the page shows (its QR code decodes to the
same key), sign in again with a code; a required second factor; the page's layout in kk and ru
on a phone and a laptop (screenshots in /tmp/account-shots/)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.accounts.models import Account
from forum.events.models import Event
from tests import factories
from tests.auth import PASSWORD, make_account

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/account-shots")
NEW_PASSWORD = "a brand new secret 7"

# Renders the page's QR code (an SVG) on a canvas and reads it back with jsQR, as a phone would.
DECODE_QR = """async () => {
  const svg = document.querySelector("#totp-qr");
  const size = svg.viewBox.baseVal.width * 8;
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(svg)],
                                           { type: "image/svg+xml" }));
  const image = new Image(size, size);
  await new Promise((ok, fail) => { image.onload = ok; image.onerror = fail; image.src = url; });
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0, size, size);
  const found = window.jsQR(context.getImageData(0, 0, size, size).data, size, size);
  return found ? found.data : null;
}"""


@pytest.fixture(scope="module")
def staff(live_app):
    """Staff accounts in the live server's database, one per test (each changes its own)."""
    from forum.extensions import db

    with live_app.app_context():
        session = db.session
        event = session.scalar(select(Event).where(Event.slug == "digital-bridge"))
        emails = {name: make_account(session, event=event, email=f"{name}.me@example.kz").email
                  for name in ("changer", "required", "shots", "rosters")}
        for category in event.categories:
            if category.slug == "delegate":
                category.names = {"en": "Delegate", "ru": "Делегат", "kk": "Делегат"}
        kz = factories.make_delegation(session, event, country="KZ", name="Kazakhstan")
        factories.make_participant(session, event, delegation_code=kz.invitation_code,
                                   first_name="Aruzhan", last_name="Nurlanova",
                                   email="aruzhan@example.kz")
        session.scalar(select(Account).where(Account.email == emails["required"])
                       ).totp_required = True  # as an admin would set it
        session.commit()
        session.remove()
    return emails


def _server_now(live_app):
    return live_app.config["FORUM_CLOCK"]()


def _code(secret: str, at) -> str:
    return pyotp.TOTP(secret, interval=30).at(at)


def _wrong_code(secret: str, at) -> str:
    """Six digits that are none of the codes the server would take around ``at``."""
    valid = {_code(secret, at + timedelta(seconds=30 * k)) for k in range(-2, 3)}
    return next(c for c in ("000000", "111111", "222222") if c not in valid)


def _sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#sign-in button[type=submit]")


def _open_account(page, email: str, viewport=LAPTOP) -> None:
    page.set_viewport_size(viewport)
    page.goto("/admin")
    _sign_in(page, email)
    expect(page.locator("#shell")).to_be_visible()
    page.click("#account-link")
    expect(page.locator("#account-link")).to_have_attribute("aria-current", "page")


def _start_setup(page) -> str:
    """Start two-factor set-up on the page; the key it shows, without its spaces."""
    page.click("#totp-start")
    expect(page.locator("#totp-qr")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    assert len(secret) >= 16 and secret.isalnum()
    return secret


def test_change_the_password_then_turn_on_two_factor_sign_in(new_page, staff, live_app, query):
    email = staff["changer"]
    page = new_page("en-US")
    _open_account(page, email)
    expect(page.locator("#view h1")).to_have_text("My account")
    expect(page.locator("#me-facts")).to_contain_text(email)
    expect(page.locator("#me-facts")).to_contain_text("Organizer")
    expect(page.locator("#totp-state")).to_have_text("Off")
    expect(page.locator("#totp-required")).to_have_count(0)  # nobody requires it of them
    expect(page.locator("#totp-card")).not_to_contain_text("null")

    # Field errors under their fields: the client's own check, then the server's answers.
    page.fill("#me-current", PASSWORD)
    page.fill("#me-new", NEW_PASSWORD)
    page.fill("#me-repeat", NEW_PASSWORD + "x")
    page.click("#me-password button[type=submit]")
    expect(page.locator("#me-repeat-error")).to_have_text("The two new passwords differ.")
    expect(page.locator("#me-repeat")).to_have_attribute("aria-invalid", "true")
    page.fill("#me-current", "not my password")
    page.fill("#me-repeat", NEW_PASSWORD)
    page.click("#me-password button[type=submit]")
    expect(page.locator("#me-current-error")).to_have_text("This is not your current password.")
    expect(page.locator("#me-repeat-error")).to_be_hidden()
    page.fill("#me-current", PASSWORD)
    page.fill("#me-new", "aaaaaaaaaaaa")  # long enough, but one character over and over
    page.fill("#me-repeat", "aaaaaaaaaaaa")
    page.click("#me-password button[type=submit]")
    expect(page.locator("#me-new-error")).to_contain_text("Choose a stronger password")
    expect(page.locator("#me-current-error")).to_be_hidden()

    page.fill("#me-new", NEW_PASSWORD)
    page.fill("#me-repeat", NEW_PASSWORD)
    page.click("#me-password button[type=submit]")
    # Every session ended, this one too: the sign-in form, with the address filled in.
    expect(page.locator("#sign-in-alert")).to_have_text(
        "Your password is changed. Sign in with the new one.")
    expect(page.locator("#email")).to_have_value(email)
    expect(page.locator("#shell")).to_be_hidden()
    page.fill("#password", PASSWORD)
    page.click("#sign-in button[type=submit]")
    expect(page.locator("#sign-in-alert")).to_have_text("Wrong email or password.")
    _sign_in(page, email, NEW_PASSWORD)
    expect(page.locator("#shell")).to_be_visible()
    expect(page.locator("#view h1")).to_have_text("My account")  # back where they were

    secret = _start_setup(page)
    page.add_script_tag(url="/vendor/jsqr/dist/jsQR.js")
    uri = page.evaluate(DECODE_QR)
    assert uri is not None, "the QR code does not decode"
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert unquote(parts.path) == f"/Digital Bridge:{email}"
    assert parse_qs(parts.query)["secret"] == [secret]
    assert secret not in page.url

    page.fill("#totp-code", "12a")
    page.click("#totp-confirm button[type=submit]")
    expect(page.locator("#totp-code-error")).to_have_text("Enter the 6 digits the app shows.")
    page.fill("#totp-code", _wrong_code(secret, _server_now(live_app)))
    page.click("#totp-confirm button[type=submit]")
    expect(page.locator("#totp-code-error")).to_contain_text("The code is not right.")
    expect(page.locator("#totp-state")).to_have_text("Off")
    page.fill("#totp-code", _code(secret, _server_now(live_app)))
    page.click("#totp-confirm button[type=submit]")
    expect(page.locator("#totp-alert")).to_have_text(
        "Two-factor sign-in is on. From now on, signing in asks for a code from the app.")
    expect(page.locator("#totp-state")).to_have_text("On")
    expect(page.locator("#totp-setup")).to_have_count(0)  # the key is off the page
    expect(page.locator("#totp-off-details")).to_be_visible()  # not required: may be turned off
    enabled = query(lambda s: s.scalar(select(Account.totp_enabled_at).where(
        Account.email == email)))
    assert enabled is not None

    page.click("#sign-out")
    expect(page.locator("#sign-in")).to_be_visible()
    _sign_in(page, email, NEW_PASSWORD)
    expect(page.locator("#totp-field")).to_be_visible()
    expect(page.locator("#sign-in-alert")).to_contain_text("enter the 6-digit code")
    expect(page.locator("#shell")).to_be_hidden()
    page.fill("#totp", _wrong_code(secret, _server_now(live_app)))
    page.click("#sign-in button[type=submit]")
    expect(page.locator("#sign-in-alert")).to_have_text(
        "Wrong password or code. Type the newest code from the app.")
    expect(page.locator("#shell")).to_be_hidden()
    # The set-up's code is spent; the app's next one is taken (one step of drift is allowed).
    page.fill("#totp", _code(secret, _server_now(live_app) + timedelta(seconds=30)))
    page.click("#sign-in button[type=submit]")
    expect(page.locator("#shell")).to_be_visible()
    expect(page.locator("#totp-field")).to_be_hidden()
    expect(page.locator("#who")).to_have_text("Staff Member")


def test_a_required_second_factor_is_set_up_first_and_stays_on(new_page, staff, live_app):
    page = new_page("ru-RU")
    page.set_viewport_size(LAPTOP)
    page.goto("/admin")
    _sign_in(page, staff["required"])
    # Personal data is closed until it is on, so the panel opens on the account page.
    expect(page.locator("#view h1")).to_have_text("Моя учётная запись")
    expect(page.locator("#totp-required")).to_contain_text(
        "Администратор требует двухфакторный вход для вашей учётной записи.")
    page.click("#nav a[href='#participants']")
    expect(page.locator("#page-alert")).to_have_text(
        "Чтобы работать с персональными данными, включите двухфакторный вход в разделе "
        "«Моя учётная запись».")
    page.click("#account-link")
    secret = _start_setup(page)
    page.fill("#totp-code", _code(secret, _server_now(live_app)))
    page.click("#totp-confirm button[type=submit]")
    expect(page.locator("#totp-state")).to_have_text("Включён")
    expect(page.locator("#totp-required")).to_contain_text("Выключить его нельзя.")
    expect(page.locator("#totp-off-details")).to_have_count(0)
    page.click("#nav a[href='#participants']")
    expect(page.locator("table tbody tr")).to_contain_text("Aruzhan Nurlanova")  # the list
    expect(page.locator("#page-alert")).to_be_hidden()
    expect(page.locator("#filter-category option[value=attendee]")).to_have_text("Участник")


@pytest.mark.parametrize("locale", ["kk-KZ", "ru-RU"])
def test_the_account_page_fits_a_phone_and_a_laptop(new_page, staff, locale):
    SHOTS.mkdir(exist_ok=True)
    page = new_page(locale)
    _open_account(page, staff["shots"], PHONE)
    page.fill("#me-current", "not my password")
    page.fill("#me-new", NEW_PASSWORD)
    page.fill("#me-repeat", NEW_PASSWORD)
    page.click("#me-password button[type=submit]")  # an error under its field, in the shot
    expect(page.locator("#me-current-error")).to_be_visible()
    _start_setup(page)
    for name, viewport in (("phone", PHONE), ("laptop", LAPTOP)):
        page.set_viewport_size(viewport)
        qr = page.locator("#totp-qr").bounding_box()
        assert qr is not None and qr["width"] >= 140 and abs(qr["width"] - qr["height"]) < 1
        assert qr["x"] >= 0 and qr["x"] + qr["width"] <= viewport["width"]
        # Nothing wider than the screen: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=str(SHOTS / f"account-{locale[:2]}-{name}.png"), full_page=True)


def test_rosters_name_categories_in_the_panel_language(new_page, staff):
    page = new_page("kk-KZ")
    _open_account(page, staff["rosters"])
    page.click("#nav a[href='#import']")
    # What the file's Category column may say: the slug to write, and what it means.
    page.click("#import-categories summary")
    codes = page.locator("#import-categories dl")
    expect(codes.locator("dt").first).to_have_text("attendee")
    expect(codes.locator("dd").first).to_have_text("Қатысушы")
    page.click("#nav a[href='#delegations']")
    page.locator("table tbody tr", has_text="Kazakhstan").locator(".row-link").click()
    member = page.locator("#drawer-body tr", has_text="Aruzhan Nurlanova")
    expect(member).to_contain_text("Делегат")
    expect(member).not_to_contain_text("delegate")
