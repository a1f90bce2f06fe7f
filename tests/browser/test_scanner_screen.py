"""The scanner screen: a result clears back to "ready", a red screen says why and what to do,
a revoked scanner keeps nothing of the event, an expired bundle decides nothing."""

from __future__ import annotations

import contextlib
import time
from datetime import timedelta

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import select

from forum.badges import service as badges
from forum.checkin import devices
from forum.checkin.models import ScannerDevice
from forum.events.models import Event
from forum.tokens import token_hash
from tests import factories
from tests.browser import test_scanner_page as scanner

# The scanner page's fixtures and helpers (its live app with the demo zones and gates).
live_app, scanner_page, device_token, badge = (
    scanner.live_app, scanner.scanner_page, scanner.device_token, scanner.badge)
QUEUE_JS, checkins, open_scanner, wedge = (
    scanner.QUEUE_JS, scanner.checkins, scanner.open_scanner, scanner.wedge)

pytestmark = pytest.mark.browser

BUNDLE_JS = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("forum-scanner");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const got = open.result.transaction("meta").objectStore("meta").get("bundle");
    got.onsuccess = () => { resolve(got.result ?? null); open.result.close(); };
  };
})"""


def test_green_clears_after_the_configured_time_and_at_once_on_the_next_scan(
        scanner_page, device_token, badge):
    page, _expected = scanner_page
    _person, code = badge("Aigerim", "Nurlanqyzy")
    page.goto(f"/scanner?clear=2#token={device_token}")
    expect(page.locator("#gate-name")).to_have_text("Main entrance")
    result = page.locator("#result")

    wedge(page, code)
    expect(result).to_have_attribute("data-outcome", "ok")
    shown = time.monotonic()
    page.wait_for_timeout(1000)
    expect(result).to_have_attribute("data-outcome", "ok", timeout=100)  # still up at 1 s
    expect(result).to_have_attribute("data-outcome", "idle", timeout=3000)
    assert 1.5 < time.monotonic() - shown < 3.5  # 2 s, as seen from here
    expect(page.locator("#r-word")).to_have_text("Ready — scan a badge")
    expect(page.locator("#r-name")).to_be_hidden()
    expect(result).to_have_attribute("data-tone", "idle")

    # The next scan clears the last result before the server has answered it.
    wedge(page, code)
    expect(result).to_have_attribute("data-outcome", "already_checked_in")
    held = []
    page.route("**/api/v1/checkins", lambda route: held.append(route))
    wedge(page, code)
    expect(result).to_have_attribute("data-outcome", "idle", timeout=500)
    page.unroute("**/api/v1/checkins")
    for route in held:  # unrouting may have let it through already
        with contextlib.suppress(PlaywrightError):
            route.continue_()
    expect(result).to_have_attribute("data-outcome", "already_checked_in")


def test_a_revoked_badge_says_why_and_sends_to_the_desk_in_the_guards_language(
        scanner_page, device_token, query):
    page, _expected = scanner_page

    def reissued(session):
        event = session.scalar(select(Event).where(Event.slug == "digital-bridge"))
        person = factories.make_participant(session, event, first_name="Timur",
                                            last_name="Akhmetov")
        old = badges.badge_token(session, badges.ensure_badge(session, person, now=factories.NOW))
        badges.reissue(session, person, now=factories.NOW, actor="test", reason="lost")
        session.commit()
        return old

    old_code = query(reissued)
    open_scanner(page, device_token)
    wedge(page, old_code)
    result = page.locator("#result")
    expect(result).to_have_attribute("data-outcome", "revoked")
    expect(result).to_have_attribute("data-tone", "deny")
    expect(page.locator("#r-word")).to_have_text("Badge revoked")
    expect(page.locator("#r-reason")).to_have_text(
        "This badge is no longer valid: a newer one replaced it, it was revoked, or the "
        "registration was cancelled.")
    expect(page.locator("#r-next")).to_have_text("Send the person to the accreditation desk.")

    page.click("#menu-button")
    page.click("#lang-switch button[data-locale='kk']")
    page.click("#menu-close")
    expect(page.locator("#r-next")).to_have_text("Қатысушыны аккредиттеу үстеліне жіберіңіз.")
    expect(page.locator("#r-reason")).to_contain_text("Бейдж енді жарамсыз")
    wedge(page, "NOT-A-BADGE")
    expect(result).to_have_attribute("data-outcome", "invalid")
    expect(page.locator("#r-reason")).to_have_text(
        "Код форумның түпнұсқа бейджі емес: бүлінген, көшірілген немесе өзгертілген.")
    expect(page.locator("#r-next")).to_have_text("Қатысушыны аккредиттеу үстеліне жіберіңіз.")


def test_a_revoked_scanner_uploads_its_queue_then_keeps_nothing(scanner_page, device_token,
                                                                badge, query):
    page, expected = scanner_page
    expected.append(r"status of 401")
    person, code = badge("Dilnaz", "Seitkali")
    open_scanner(page, device_token)
    assert page.evaluate(BUNDLE_JS) is not None
    page.context.set_offline(True)
    wedge(page, code)
    expect(page.locator("#queue-count")).to_have_text("1")
    page.context.set_offline(False)
    expect(page.locator("#queue-count")).to_have_text("0", timeout=10000)
    assert len(checkins(query, person)) == 1  # uploaded while the token was good

    def revoke(session):
        device = session.scalar(select(ScannerDevice).where(
            ScannerDevice.token_hash == token_hash(device_token)))
        devices.revoke(session, device, now=factories.NOW, actor="test")
        session.commit()

    query(revoke)
    _other, other_code = badge("Aruzhan", "Bekova")
    wedge(page, other_code)
    expect(page.locator("#setup")).to_be_visible()
    expect(page.locator("#setup-error")).to_contain_text("its offline list and unsent scans "
                                                         "were removed from this device")
    assert page.evaluate(BUNDLE_JS) is None
    assert page.evaluate(QUEUE_JS) == []
    assert page.evaluate("localStorage.getItem('forum.scanner.token')") is None


def test_an_expired_bundle_decides_nothing_offline(scanner_page, device_token, badge, query):
    page, _expected = scanner_page
    person, code = badge("Saule", "Ibraimova")
    open_scanner(page, device_token)
    page.context.set_offline(True)
    expect(page.locator("#net")).to_have_attribute("data-state", "offline")
    # Days after the event's last day, on this device's clock.
    page.clock.set_system_time(factories.NOW + timedelta(days=4))
    wedge(page, code)
    result = page.locator("#result")
    expect(result).to_have_attribute("data-outcome", "error")
    expect(page.locator("#r-note")).to_have_text(
        "The offline list has expired (the event is over): connect to the network.")
    expect(page.locator("#queue-count")).to_have_text("0")
    assert page.evaluate(QUEUE_JS) == []
    assert checkins(query, person) == []


REFUSED_JS = BUNDLE_JS.replace('get("bundle")', 'get("refused")')


def test_scans_refused_for_their_time_are_kept_aside_and_the_rest_uploads(
        scanner_page, device_token, badge, query, live_app):
    page, expected = scanner_page
    expected.append(r"status of 422")  # the refused batch, as the browser logs it
    early, early_code = badge("Arman", "Qasymov")
    later, later_code = badge("Madina", "Ospanova")
    open_scanner(page, device_token)
    page.context.set_offline(True)
    expect(page.locator("#net")).to_have_attribute("data-state", "offline")
    # A device clock four days behind, then put right: the first scan is too old to take.
    page.clock.set_system_time(factories.NOW - timedelta(days=4))
    wedge(page, early_code)
    expect(page.locator("#queue-count")).to_have_text("1")
    page.clock.set_system_time(live_app.config["FORUM_CLOCK"]())
    wedge(page, later_code)
    expect(page.locator("#queue-count")).to_have_text("2")

    page.context.set_offline(False)
    expect(page.locator("#queue-count")).to_have_text("0", timeout=10000)
    expect(page.locator("#sync-note")).to_have_text(
        "Uploaded 1 offline scans. The server refused 1 scans (their time is outside the "
        "accepted window: check this device's clock); they are kept on this device for the "
        "organizers.")
    assert checkins(query, early) == []
    assert [r.offline for r in checkins(query, later)] == [True]
    kept = page.evaluate(REFUSED_JS)
    assert [s["code"] for s in kept] == [early_code]
