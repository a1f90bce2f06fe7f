"""The scanner page: keyboard-wedge scans online, tampered codes, offline queue, device setup."""

from __future__ import annotations

import contextlib
import io
import json
import posixpath
import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import qrcode
from flask import Flask
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect
from sqlalchemy import select

from forum import ROOT, web
from forum.badges import service as badges
from forum.badges.render import qr_png
from forum.checkin import devices
from forum.checkin.demo import setup_demo_zones
from forum.checkin.models import Checkin, Outcome, ScannerDevice
from forum.events.models import Event
from forum.extensions import db
from forum.tokens import token_hash
from tests import factories
from tests.browser.conftest import CATEGORY_NAMES, CHROMIUM, CHROMIUM_ARGS, PHONE, live_clock
from tests.conftest import make_app

pytestmark = pytest.mark.browser

QUEUE_JS = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("forum-scanner");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const all = open.result.transaction("queue").objectStore("queue").getAll();
    all.onsuccess = () => { resolve(all.result); open.result.close(); };
  };
})"""


class PathLog:
    """WSGI middleware: the paths of the requests that reached the server."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.paths: list[str] = []

    def __call__(self, environ, start_response):
        self.paths.append(environ["PATH_INFO"])
        return self.wsgi_app(environ, start_response)


@pytest.fixture(scope="module")
def live_app(tmp_path_factory) -> Iterator[Flask]:
    """An event with the demo zones and gates (open all day today and tomorrow)."""
    path = tmp_path_factory.mktemp("scanner") / "scanner.db"
    app = make_app(f"sqlite:///{path}", FORUM_CLOCK=live_clock())
    app.wsgi_app = PathLog(app.wsgi_app)  # type: ignore[method-assign]
    with app.app_context():
        db.create_all()
        now = factories.NOW
        event = factories.make_event(db.session, slug="digital-bridge", name="Digital Bridge 2026",
                                     registration_opens_at=now - timedelta(days=1),
                                     registration_closes_at=now + timedelta(days=30))
        for category in event.categories:
            category.names = CATEGORY_NAMES.get(category.slug, category.names)
        setup_demo_zones(db.session, event, now=now)
        db.session.commit()
        db.session.remove()
    devices.clear_cache()
    yield app
    devices.clear_cache()
    with app.app_context():
        db.engine.dispose()


def issue_device(query, gate: str = "main-entrance") -> str:
    """A new scanner device's token at a gate of the event."""

    def issue(session):
        event = session.scalar(select(Event).where(Event.slug == "digital-bridge"))
        _device, token = devices.issue(session, gate=devices.get_gate(session, event, gate),
                                       name="Lane 1", now=factories.NOW, actor="test")
        session.commit()
        return token

    return query(issue)


@pytest.fixture
def device_token(query) -> str:
    """A new scanner device at the main entrance (each test scans with its own device)."""
    return issue_device(query)


@pytest.fixture
def badge(query) -> Callable[..., tuple[int, str]]:
    """badge(first, last, **fields) → (participant id, QR text) of a confirmed participant."""

    def make(first: str, last: str, **fields) -> tuple[int, str]:
        def create(session):
            event = session.scalar(select(Event).where(Event.slug == "digital-bridge"))
            person = factories.make_participant(session, event, first_name=first, last_name=last,
                                                **fields)
            badge = badges.ensure_badge(session, person, now=factories.NOW)
            code = badges.badge_token(session, badge)
            session.commit()
            return person.id, code

        return query(create)

    return make


@pytest.fixture
def scanner_page(new_page) -> Iterator[tuple[Page, list[str]]]:
    """A phone-sized page that fails the test on any console error not expected by it.

    The test appends the patterns of the errors it causes on purpose (a refused token, a
    request cut by the network) to the returned list.
    """
    page = new_page()
    errors: list[str] = []
    expected: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page, expected
    unexpected = [e for e in errors if not any(re.search(p, e) for p in expected)]
    assert not unexpected, unexpected


def checkins(query, participant_id: int) -> list[Checkin]:
    return query(lambda s: list(s.scalars(
        select(Checkin).where(Checkin.participant_id == participant_id).order_by(Checkin.id))))


def open_scanner(page: Page, token: str) -> None:
    page.goto(f"/scanner#token={token}")
    expect(page.locator("#gate-name")).to_have_text("Main entrance")
    assert "token" not in page.url  # moved out of the address bar
    expect(page.locator("#code")).to_be_focused()


def wedge(page: Page, code: str) -> None:
    """What a USB or Bluetooth scanner does: type the code quickly, then Enter."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_keyboard_wedge_online_green_then_orange(scanner_page, device_token, badge, query):
    page, _expected = scanner_page
    person, code = badge("Aigerim", "Nurlanqyzy", organization="Astana Hub", country="KZ")
    open_scanner(page, device_token)
    result = page.locator("#result")
    expect(result).to_have_attribute("data-outcome", "idle")

    wedge(page, code)
    expect(result).to_have_attribute("data-outcome", "ok")
    expect(result).to_have_attribute("data-tone", "ok")
    expect(result).to_have_attribute("data-offline", "false")
    expect(page.locator("#r-word")).to_have_text("Admitted")
    expect(page.locator("#r-name")).to_have_text("Aigerim Nurlanqyzy")
    expect(page.locator("#r-category")).to_have_text("Attendee")
    expect(page.locator("#r-org")).to_have_text("Astana Hub · Kazakhstan")
    # Re-armed at once: the field is empty and focused for the next badge.
    expect(page.locator("#code")).to_be_focused()
    expect(page.locator("#code")).to_have_value("")

    wedge(page, code)
    expect(result).to_have_attribute("data-outcome", "already_checked_in", timeout=1000)
    expect(result).to_have_attribute("data-tone", "warn")
    expect(page.locator("#r-word")).to_have_text("Already checked in")
    expect(page.locator("#r-name")).to_have_text("Aigerim Nurlanqyzy")

    rows = checkins(query, person)
    assert [r.outcome for r in rows] == [Outcome.OK, Outcome.ALREADY_CHECKED_IN]
    assert not any(r.offline for r in rows)
    first = rows[0].scanned_at.astimezone(ZoneInfo("Asia/Almaty")).strftime("%H:%M")
    expect(page.locator("#r-first")).to_have_text(f"First entry: {first}, Main entrance")
    expect(page.locator("#queue")).to_be_hidden()


def test_tampered_code_is_red_invalid(scanner_page, device_token, badge, query):
    page, _expected = scanner_page
    person, code = badge("Нұрлан", "Әбенов")
    position = 40  # inside the signed payload's serial
    forged = code[:position] + ("A" if code[position] != "A" else "B") + code[position + 1:]
    open_scanner(page, device_token)

    wedge(page, forged)
    result = page.locator("#result")
    expect(result).to_have_attribute("data-outcome", "invalid")
    expect(result).to_have_attribute("data-tone", "deny")
    expect(page.locator("#r-word")).to_have_text("Invalid badge")
    expect(page.locator("#r-name")).to_be_hidden()

    # Manual entry through the same field and the Check button: the real badge passes.
    page.fill("#code", code)
    page.click("#code-submit")
    expect(result).to_have_attribute("data-outcome", "ok")
    expect(page.locator("#r-name")).to_have_text("Нұрлан Әбенов")
    expect(page.locator("#code")).to_be_focused()

    invalid = query(lambda s: s.scalars(
        select(Checkin.outcome).join(ScannerDevice, Checkin.device_id == ScannerDevice.id)
        .where(ScannerDevice.token_hash == token_hash(device_token))
        .order_by(Checkin.id)).all())
    assert invalid == [Outcome.INVALID, Outcome.OK]
    assert [r.outcome for r in checkins(query, person)] == [Outcome.OK]


def test_offline_scans_are_decided_locally_queued_and_uploaded(scanner_page, device_token,
                                                                badge, query):
    page, _expected = scanner_page
    person, code = badge("Dilnaz", "Seitkali", organization="Kazakhtelecom", country="KZ")
    bundles: list[int] = []
    page.on("response", lambda r: bundles.append(r.status) if "/scanner/bundle" in r.url else None)
    open_scanner(page, device_token)
    expect(page.locator("#net")).to_have_attribute("data-state", "online")

    page.context.set_offline(True)
    expect(page.locator("#net")).to_have_attribute("data-state", "offline")
    expect(page.locator("#net-text")).to_have_text("Offline")

    wedge(page, code)
    result = page.locator("#result")
    expect(result).to_have_attribute("data-outcome", "ok")
    expect(result).to_have_attribute("data-offline", "true")
    expect(page.locator("#r-name")).to_have_text("Dilnaz Seitkali")
    expect(page.locator("#r-category")).to_have_text("Attendee")
    # The offline list holds the name and category only: no organization or country.
    expect(page.locator("#r-org")).to_be_hidden()
    expect(page.locator("#r-note")).to_contain_text("Offline")
    expect(page.locator("#queue-count")).to_have_text("1")
    queued = page.evaluate(QUEUE_JS)
    assert len(queued) == 1
    assert queued[0]["code"] == code and queued[0]["local_status"] == "ok"
    assert queued[0]["gate"] == "main-entrance"

    wedge(page, code)  # the same badge again, still offline
    expect(result).to_have_attribute("data-outcome", "already_checked_in")
    expect(result).to_have_attribute("data-offline", "true")
    expect(page.locator("#r-first")).to_contain_text("Main entrance")
    expect(page.locator("#queue-count")).to_have_text("2")
    queued = sorted(page.evaluate(QUEUE_JS), key=lambda s: s["scanned_at"])
    assert [s["local_status"] for s in queued] == ["ok", "already_checked_in"]
    assert checkins(query, person) == []  # nothing reached the server yet

    page.context.set_offline(False)
    expect(page.locator("#queue-count")).to_have_text("0", timeout=10000)
    expect(page.locator("#net")).to_have_attribute("data-state", "online")
    expect(page.locator("#queue")).to_be_hidden()
    expect(page.locator("#sync-note")).to_have_text("Uploaded 2 offline scans.")
    assert page.evaluate(QUEUE_JS) == []
    # The bundle was checked again on reconnecting; unchanged, it cost a 304.
    assert bundles == [200, 304]

    rows = checkins(query, person)
    assert [r.outcome for r in rows] == [Outcome.OK, Outcome.ALREADY_CHECKED_IN]
    assert [r.nonce for r in rows] == [s["nonce"] for s in queued]
    for row, sent in zip(rows, queued, strict=True):
        assert row.offline and not row.conflict
        assert row.scanned_at == datetime.fromisoformat(sent["scanned_at"])
        assert row.received_at > row.scanned_at

    # Back online, the server decides again: the badge is already inside.
    wedge(page, code)
    expect(result).to_have_attribute("data-outcome", "already_checked_in")
    expect(result).to_have_attribute("data-offline", "false")
    assert len(checkins(query, person)) == 3


def test_setup_with_wrong_then_right_token_and_reset(scanner_page, device_token):
    page, expected = scanner_page
    expected.append(r"status of 401")  # the refused token, as the browser logs it
    page.goto("/scanner")
    expect(page.locator("#setup")).to_be_visible()
    expect(page.locator("#scanner")).to_be_hidden()

    page.click("#setup-submit")
    expect(page.locator("#setup-error")).to_have_text("Enter the token.")
    page.fill("#setup-token", "not-a-scanner-token")
    page.click("#setup-submit")
    expect(page.locator("#setup-error")).to_have_text(
        "This token is not valid or has been revoked. Ask the organizers for a new one.")
    expect(page.locator("#scanner")).to_be_hidden()

    page.fill("#setup-token", device_token)
    page.press("#setup-token", "Enter")
    expect(page.locator("#gate-name")).to_have_text("Main entrance")
    expect(page.locator("#gate-detail")).to_have_text("Zone: Venue · Entry")
    expect(page.locator("#setup")).to_be_hidden()
    expect(page.locator("#r-word")).to_have_text("Ready — scan a badge")
    assert page.evaluate("localStorage.getItem('forum.scanner.token')") == device_token

    page.reload()  # the token is kept: straight to scanning
    expect(page.locator("#gate-name")).to_have_text("Main entrance")
    expect(page.locator("#code")).to_be_focused()

    page.click("#menu-button")
    page.click("#lang-switch button[data-locale='ru']")
    expect(page.locator("#gate-detail")).to_have_text("Зона: Площадка · Вход")
    expect(page.locator("#gate-name")).to_have_text("Главный вход")
    expect(page.locator("#menu-gate")).to_have_text("Главный вход (Вход)")
    expect(page.locator("#menu-zone")).to_have_text("Площадка")
    page.click("#reset-start")
    expect(page.locator("#reset-question")).to_have_text(
        "Удалить токен и все данные с этого устройства?")
    page.click("#reset-yes")
    expect(page.locator("#setup")).to_be_visible()
    expect(page.locator("#setup-heading")).to_have_text("Настройка сканера")
    assert page.evaluate("localStorage.getItem('forum.scanner.token')") is None


def y4m_still(png: bytes, path: Path, width: int = 640, height: int = 480) -> Path:
    """A one-frame Y4M video of the image on white: Chromium's fake camera plays it in a loop."""
    code = Image.open(io.BytesIO(png)).convert("RGB")
    frame = Image.new("RGB", (width, height), "white")
    code.thumbnail((height - 40, height - 40))
    frame.paste(code, ((width - code.width) // 2, (height - code.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (width // 2, height // 2)
    path.write_bytes(b"YUV4MPEG2 W%d H%d F10:1 Ip A1:1 C420jpeg\n" % (width, height) + b"FRAME\n"
                     + y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes())
    return path


@contextlib.contextmanager
def fake_camera(browser, live_server: str, video: Path) -> Iterator[Page]:
    """A page in its own Chromium whose camera plays ``video`` (chosen at launch); fails on
    script errors."""
    if not (ROOT / "node_modules" / "jsqr" / "dist" / "jsQR.js").exists():
        pytest.fail("jsQR is not installed: run `make vendor` (npm ci)")
    camera_browser = browser.browser_type.launch(
        executable_path=str(CHROMIUM), headless=True,
        args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream",
              "--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={video}"])
    problems: list[str] = []
    try:
        context = camera_browser.new_context(viewport=PHONE, base_url=live_server)
        context.clock.install(time=factories.NOW)
        context.grant_permissions(["camera"])
        page = context.new_page()
        page.set_default_timeout(5000)
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
        yield page
    finally:
        camera_browser.close()
    assert not problems, problems


def test_camera_reads_a_badge_once_while_it_is_held(browser, live_server, device_token, badge,
                                                     query, tmp_path):
    person, code = badge("Ерлан", "Тоқтаров", organization="QazCode", country="KZ")
    video = y4m_still(qr_png(code, scale=6), tmp_path / "badge.y4m")
    with fake_camera(browser, live_server, video) as page:
        open_scanner(page, device_token)
        page.click("#camera-toggle")
        expect(page.locator("#camera-toggle")).to_have_text("Stop camera")
        result = page.locator("#result")
        expect(result).to_have_attribute("data-outcome", "ok", timeout=10000)
        expect(page.locator("#r-name")).to_have_text("Ерлан Тоқтаров")
        # The badge stays in front of the lens: read many times, scanned once.
        page.wait_for_timeout(1500)
        expect(result).to_have_attribute("data-seq", "1")
        page.click("#camera-toggle")
        expect(page.locator("#camera-box")).to_be_hidden()
        expect(page.locator("#code")).to_be_focused()
    assert [r.outcome for r in checkins(query, person)] == [Outcome.OK]


def test_setup_qr_read_by_the_camera(browser, live_server, device_token, tmp_path):
    link = qrcode.make(f"{live_server}/scanner#token={device_token}", box_size=6, border=4)
    buffer = io.BytesIO()
    link.save(buffer, format="PNG")
    with fake_camera(browser, live_server, y4m_still(buffer.getvalue(), tmp_path / "setup.y4m")
                     ) as page:
        page.goto("/scanner")
        page.click("#setup-camera")
        expect(page.locator("#gate-name")).to_have_text("Main entrance", timeout=10000)
        expect(page.locator("#camera-box")).to_be_hidden()  # the camera is off again
        expect(page.locator("#code")).to_be_focused()
        assert page.evaluate("localStorage.getItem('forum.scanner.token')") == device_token


def test_a_server_that_does_not_answer_in_2_seconds_means_offline(scanner_page, device_token,
                                                                   badge, query):
    page, _expected = scanner_page
    person, code = badge("Arman", "Qasymov")
    open_scanner(page, device_token)
    held = []
    page.route("**/api/v1/**", lambda route: held.append(route))  # the server hangs

    page.keyboard.type(code)
    started = time.monotonic()  # from the scanner's Enter
    page.keyboard.press("Enter")
    result = page.locator("#result")
    expect(result).to_have_attribute("data-outcome", "ok")
    waited = time.monotonic() - started
    assert 1.9 < waited < 3.0, waited
    expect(result).to_have_attribute("data-offline", "true")
    expect(page.locator("#net")).to_have_attribute("data-state", "offline")
    expect(page.locator("#queue-count")).to_have_text("1")
    assert checkins(query, person) == []

    # The next scan does not wait for the silent server again. This badge was issued after
    # the scanner loaded its bundle: genuine by its signature, admitted where all may enter.
    other, other_code = badge("Aruzhan", "Bekova")
    page.keyboard.type(other_code)
    started = time.monotonic()
    page.keyboard.press("Enter")
    expect(page.locator("#r-name")).to_have_text("Not in the offline list")
    assert time.monotonic() - started < 1.0
    expect(result).to_have_attribute("data-outcome", "ok")
    expect(page.locator("#queue-count")).to_have_text("2")

    # The periodic retry finds the server again and uploads the queue.
    page.unroute("**/api/v1/**")
    for route in held:  # requests still waiting reach the server now; abandoned ones fail
        with contextlib.suppress(PlaywrightError):
            route.continue_()
    expect(page.locator("#queue-count")).to_have_text("0", timeout=12000)
    expect(page.locator("#net")).to_have_attribute("data-state", "online")
    assert [r.outcome for r in checkins(query, person)] == [Outcome.OK]
    assert [r.outcome for r in checkins(query, other)] == [Outcome.OK]


def test_offline_admission_of_a_badge_admitted_elsewhere_is_flagged(scanner_page, device_token,
                                                                     badge, query, live_app):
    page, _expected = scanner_page
    person, code = badge("Madina", "Ospanova")
    open_scanner(page, device_token)
    page.context.set_offline(True)
    wedge(page, code)
    expect(page.locator("#result")).to_have_attribute("data-outcome", "ok")

    # Meanwhile another lane, online, admits the same badge.
    other_lane = issue_device(query)
    answer = live_app.test_client().post(
        "/api/v1/checkins", headers={"Authorization": f"Bearer {other_lane}"},
        json={"code": code, "gate": "main-entrance", "nonce": "other-lane-0001"})
    assert answer.json["status"] == "ok"

    page.context.set_offline(False)
    expect(page.locator("#queue-count")).to_have_text("0", timeout=10000)
    rows = checkins(query, person)
    assert [(r.outcome, r.conflict) for r in rows] == [
        (Outcome.OK, False), (Outcome.ALREADY_CHECKED_IN, True)]
    at = rows[0].scanned_at.astimezone(ZoneInfo("Asia/Almaty")).strftime("%H:%M")
    expect(page.locator("#sync-note")).to_have_text(
        f"Uploaded 1 offline scans. Conflict: Madina Ospanova was already admitted at "
        f"Main entrance at {at}; flagged for the organizers.")


def test_offline_refusals_match_the_server(scanner_page, badge, query, live_app):
    page, _expected = scanner_page
    _attendee, attendee_code = badge("Bolat", "Zhaksylykov")
    _vip, vip_code = badge("Gulnara", "Sadykova", category="vip")

    def reissued(session):
        person = factories.make_participant(
            session, session.scalar(select(Event).where(Event.slug == "digital-bridge")),
            first_name="Timur", last_name="Akhmetov")
        old = badges.badge_token(session, badges.ensure_badge(session, person, now=factories.NOW))
        badges.reissue(session, person, now=factories.NOW, actor="test", reason="lost")
        other = factories.make_event(session, slug="other-forum")
        stranger = factories.make_participant(session, other)
        foreign = badges.badge_token(
            session, badges.ensure_badge(session, stranger, now=factories.NOW))
        session.commit()
        return old, foreign

    old_code, foreign_code = query(reissued)
    open_scanner_at = issue_device(query, "vip-lounge")
    page.goto(f"/scanner#token={open_scanner_at}")
    expect(page.locator("#gate-name")).to_have_text("VIP lounge")
    page.context.set_offline(True)
    expect(page.locator("#net")).to_have_attribute("data-state", "offline")

    result = page.locator("#result")
    shown = []
    for code in (attendee_code, vip_code, old_code, foreign_code, vip_code):
        wedge(page, code)
        expect(result).to_have_attribute("data-seq", str(len(shown) + 1))
        shown.append(result.get_attribute("data-outcome"))
    assert shown == ["not_allowed", "ok", "revoked", "wrong_event", "already_checked_in"]
    expect(page.locator("#r-word")).to_have_text("Already checked in")
    expect(page.locator("#queue-count")).to_have_text("5")

    page.context.set_offline(False)
    expect(page.locator("#queue-count")).to_have_text("0", timeout=10000)
    stored = query(lambda s: s.scalars(
        select(Checkin.outcome).join(ScannerDevice, Checkin.device_id == ScannerDevice.id)
        .where(ScannerDevice.token_hash == token_hash(open_scanner_at))
        .order_by(Checkin.scanned_at)).all())
    assert [o.value for o in stored] == shown


CACHED_JS = """async () => {
  const names = await caches.keys();
  const urls = {};
  for (const name of names) {
    const keys = await (await caches.open(name)).keys();
    urls[name] = keys.map((r) => new URL(r.url).pathname).sort();
  }
  return urls;
}"""


def take_control(page: Page) -> str:
    """Wait until the page's service worker is active and controls the page; its script URL."""
    # (Not wait_for_function: it evaluates a string, which the page's CSP forbids.)
    controlled = page.evaluate("""() => navigator.serviceWorker.controller !== null
      || new Promise((resolve) => {
        navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true));
        setTimeout(() => resolve(false), 10000);
      })""")
    assert controlled, "no service worker took control of the page"
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope.endswith("/scanner")
    page.reload()  # now the page and its modules come through the worker
    expect(page.locator("#gate-name")).to_have_text("Main entrance")
    return page.evaluate("navigator.serviceWorker.controller.scriptURL")


def test_page_reloads_and_scans_with_no_network_at_all(scanner_page, device_token, badge,
                                                        query, live_app):
    page, _expected = scanner_page
    person, code = badge("Saule", "Ibraimova", organization="Astana Hub", country="KZ")
    open_scanner(page, device_token)
    assert take_control(page).endswith("/scanner-sw.js")
    # One versioned cache holding exactly the page's shell, and never an API answer.
    cached = page.evaluate(CACHED_JS)
    assert len(cached) == 1
    assert next(iter(cached.values())) == sorted(web.scanner_shell())

    page.context.set_offline(True)
    served: list[str] = live_app.wsgi_app.paths
    served.clear()
    response = page.reload()
    assert response is not None and response.ok and response.from_service_worker
    expect(page.locator("#gate-name")).to_have_text("Main entrance")
    expect(page.locator("#gate-detail")).to_have_text("Zone: Venue · Entry")
    expect(page.locator("#net")).to_have_attribute("data-state", "offline")
    expect(page.locator("#code")).to_be_focused()
    # The camera's decoder and its library are there too.
    assert page.evaluate("""Promise.all(["/static/scanner/decoder.js", "/vendor/jsqr/dist/jsQR.js"]
        .map((url) => fetch(url).then((r) => r.ok)))""") == [True, True]

    wedge(page, code)
    result = page.locator("#result")
    expect(result).to_have_attribute("data-outcome", "ok")
    expect(result).to_have_attribute("data-tone", "ok")
    expect(result).to_have_attribute("data-offline", "true")
    expect(page.locator("#r-name")).to_have_text("Saule Ibraimova")
    expect(page.locator("#queue-count")).to_have_text("1")
    assert served == []  # nothing at all reached the server
    assert checkins(query, person) == []

    page.context.set_offline(False)
    expect(page.locator("#queue-count")).to_have_text("0", timeout=10000)
    expect(page.locator("#net")).to_have_attribute("data-state", "online")
    rows = checkins(query, person)
    assert [(r.outcome, r.offline) for r in rows] == [(Outcome.OK, True)]
    assert "/api/v1/checkins/batch" in served


def test_a_changed_page_replaces_the_worker_and_its_cache(scanner_page, device_token,
                                                          monkeypatch):
    page, _expected = scanner_page
    open_scanner(page, device_token)
    take_control(page)
    (old_cache,) = page.evaluate(CACHED_JS)

    # A file added to the page (the same happens when one changes): a new worker script.
    monkeypatch.setitem(web.SCANNER_EXTRAS, "/static/register/register.css",
                        web.STATIC / "register" / "register.css")
    # The browser looks for a new worker on each visit; here, asked at once. The new one
    # takes over the open page, then drops the old cache while it activates.
    page.evaluate("""() => new Promise((resolve) => {
      navigator.serviceWorker.addEventListener("controllerchange", () => {
        const worker = navigator.serviceWorker.controller;
        if (worker.state === "activated") return resolve();
        worker.addEventListener("statechange", () => {
          if (worker.state === "activated") resolve();
        });
      }, { once: true });
      navigator.serviceWorker.ready.then((r) => r.update());
    })""")
    cached = page.evaluate(CACHED_JS)
    ((new_cache, urls),) = cached.items()
    assert new_cache != old_cache
    assert "/static/register/register.css" in urls and "/scanner" in urls
    page.reload()  # the new worker controls the page at once, no second visit needed
    expect(page.locator("#gate-name")).to_have_text("Main entrance")
    assert page.evaluate(CACHED_JS) == cached


def test_worker_script_is_versioned_by_the_content_of_the_shell(client, monkeypatch, tmp_path):
    first = client.get("/scanner-sw.js")
    assert first.status_code == 200
    assert first.headers["Content-Type"].startswith("text/javascript")
    assert first.headers["Cache-Control"] == "no-cache"
    assert client.get("/scanner-sw.js",
                      headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    text = first.get_data(as_text=True)
    shell = json.loads(re.search(r"^const SHELL = (.*);$", text, re.M).group(1))
    assert shell == list(web.scanner_shell())
    assert "/static/scanner/sw.js" not in shell and not any("/api/" in u for u in shell)

    changed = tmp_path / "countries.js"
    changed.write_bytes(web.SCANNER_EXTRAS["/static/register/countries.js"].read_bytes()
                        + b"\n// changed\n")
    monkeypatch.setitem(web.SCANNER_EXTRAS, "/static/register/countries.js", changed)
    second = client.get("/scanner-sw.js").get_data(as_text=True)
    version = re.compile(r'^const VERSION = "([0-9a-f]{16})";$', re.M)
    assert version.search(second).group(1) != version.search(text).group(1)


def test_shell_holds_every_file_the_page_loads():
    """Each module import, worker and importScripts of the scanner's scripts is precached."""
    shell = web.scanner_shell()
    html = (web.STATIC / "scanner" / "index.html").read_text()
    wanted = set(re.findall(r'(?:src|href)="(/[^"]+)"', html))
    assert "/static/common/i18n.js" in shell and "/static/common/http.js" in shell
    for name in web.SCANNER_FOLDERS:
        for script in (web.STATIC / name).glob("*.js"):
            text = script.read_text()
            for target in re.findall(r'from "(\.{1,2}/[^"]+)"', text):
                wanted.add(posixpath.normpath(f"/static/{name}/{target}"))
            wanted.update(re.findall(r'(?:new Worker|importScripts)\("(/[^"]+)"\)', text))
    assert wanted and wanted <= set(shell), wanted - set(shell)


def test_language_chosen_on_the_registration_page_carries_to_the_scanner(scanner_page):
    page, _expected = scanner_page
    page.goto("/register")
    page.click("#lang-switch button[data-locale=kk]")
    expect(page.locator("html")).to_have_attribute("lang", "kk")

    page.goto("/scanner")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("#setup-heading")).to_have_text("Сканерді баптау")
    expect(page.locator("#code")).to_have_attribute("placeholder", "Кодты сканерлеңіз не теріңіз")
    # Both switches of the page (setup screen and menu) follow a choice made on either.
    page.click("#lang-switch-setup button[data-locale=ru]")
    expect(page.locator("#setup-heading")).to_have_text("Настройка сканера")
    for switch in ("#lang-switch-setup", "#lang-switch"):
        expect(page.locator(f"{switch} button[data-locale=ru]")).to_have_attribute(
            "aria-pressed", "true")
        expect(page.locator(f"{switch} button[data-locale=kk]")).to_have_attribute(
            "aria-pressed", "false")
    assert page.evaluate("localStorage.getItem('forum.locale')") == "ru"
