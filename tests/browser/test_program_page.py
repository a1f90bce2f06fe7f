"""The public program page: filters, a session's detail, languages, the personal agenda,
workshop seats and offline reading, on the demo program (150 sessions over two days)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.demo.program import build_program
from forum.events.models import Event
from forum.extensions import db
from tests import factories

pytestmark = pytest.mark.browser

EVENT = "/api/v1/events/digital-bridge"
AGENDA = "/api/v1/registrations/me/agenda"
BOOKINGS = "/api/v1/registrations/me/bookings"
FIRST_DAY = "2026-11-26"  # the browser event's dates (conftest)
# Screenshots for a person to look at: FORUM_SHOTS=/tmp/program-shots pytest …
SHOTS = os.environ.get("FORUM_SHOTS")


@pytest.fixture(scope="module")
def program(live_app):
    """The demo builder's program, published as version 1.0, read back in English."""
    with live_app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == "digital-bridge"))
        build_program(db.session, event, rng=random.Random("browser"), now=factories.NOW)
        db.session.commit()
        client = live_app.test_client()
        answers = {lang: client.get(f"{EVENT}/program?lang={lang}").get_json()
                   for lang in ("en", "ru", "kk")}
        db.session.remove()
    assert len(answers["en"]["sessions"]) == 150
    return answers


def needs(live_app, *rules: str) -> None:
    """Skip a step whose personal endpoint is not in the app yet (built in parallel)."""
    present = {rule.rule for rule in live_app.url_map.iter_rules()}
    missing = [rule for rule in rules if rule not in present]
    if missing:
        pytest.skip(f"endpoint not in the app yet: {', '.join(missing)}")


def register(page, email: str) -> str:
    answer = page.request.post(f"{EVENT}/registrations", data={
        "first_name": "Айгерім", "last_name": "Сейітова", "email": email, "country": "KZ",
        "organization": "Astana Hub", "consent": True, "locale": "en"})
    assert answer.status == 201, answer.text()
    return answer.json()["manage_token"]


def open_program(page, path: str = "/program"):
    page.goto(path)
    expect(page.locator("#program .session, #program .cell").first).to_be_visible()


def choose(page, name: str, value: str) -> None:
    """Pick a filter; on a phone the filters sit folded under their summary."""
    if not page.locator("#filters").evaluate("d => d.open"):
        page.click("#filters summary")
    page.select_option(f"#f-{name}", value)


def of_day(sessions: list[dict], day: str = FIRST_DAY) -> list[dict]:
    return [s for s in sessions if s["starts_at"].startswith(day)]


def test_filter_by_track_then_open_a_session(page, program):
    open_program(page)
    first_day = of_day(program["en"]["sessions"])
    expect(page.locator("#program .session")).to_have_count(len(first_day))
    expect(page.locator("#days button[aria-pressed=true]")).to_have_text("Thu, Nov 26")

    choose(page, "track", "ai")
    ai = [s for s in first_day if s["track"] and s["track"]["slug"] == "ai"]
    cards = page.locator("#program .session")
    expect(cards).to_have_count(len(ai))
    assert set(cards.evaluate_all("cs => cs.map(c => c.dataset.track)")) == {"ai"}
    expect(page.locator("#count")).to_have_text(f"{len(ai)} sessions")
    assert "track=ai" in page.url  # a shared link shows the same
    # Calendar subscriptions: the whole program, and the chosen track, as webcal:// feeds.
    host = page.url.split("://", 1)[1].split("/", 1)[0]
    feed = f"webcal://{host}{EVENT}/program.ics?lang=en"
    expect(page.locator("#sub-all")).to_have_attribute("href", feed)
    expect(page.locator("#sub-filter")).to_have_attribute("href", f"{feed}&track=ai")
    expect(page.locator("#sub-filter")).to_have_text(
        "Subscribe to the Artificial intelligence track")
    calendar = page.request.get(f"{EVENT}/program.ics?lang=en&track=ai")
    assert calendar.ok and calendar.text().count("BEGIN:VEVENT") == len(
        [s for s in program["en"]["sessions"] if s["track"] and s["track"]["slug"] == "ai"])

    chosen = next(s for s in ai if s["speakers"])
    page.locator(f'.session[data-session="{chosen["id"]}"] .open').click()
    dialog = page.locator("#detail")
    expect(dialog).to_be_visible()
    expect(page.locator("#d-title")).to_have_text(chosen["title"])
    expect(page.locator("#d-room")).to_contain_text(chosen["room"]["name"])
    expect(page.locator("#d-track")).to_have_text(" Artificial intelligence")
    speakers = page.locator("#d-speakers li")
    expect(speakers).to_have_count(len(chosen["speakers"]))
    expect(speakers.first).to_contain_text(chosen["speakers"][0]["name"])
    expect(speakers.first.locator(".speaker-feed")).to_have_attribute(
        "href", f"{feed}&speaker={chosen['speakers'][0]['id']}")
    expect(page.locator("#d-description")).not_to_be_empty()
    # Without a manage token the agenda controls say that registering is needed.
    expect(page.locator("#d-guest")).to_be_visible()
    expect(page.locator("#d-guest a")).to_have_attribute("href", "/register")
    assert f"session={chosen['id']}" in page.url  # a link to this session
    page.click("#d-close")
    expect(dialog).to_be_hidden()
    assert "session=" not in page.url
    page.goto(f"/program?session={chosen['id']}")
    expect(page.locator("#d-title")).to_have_text(chosen["title"])


def test_text_search_and_the_other_views(page, program):
    open_program(page)
    page.fill("#q", "Hall B")
    hall_b = [s for s in of_day(program["en"]["sessions"]) if s["room"]["slug"] == "hall-b"]
    expect(page.locator("#program .session")).to_have_count(len(hall_b))
    page.click("#reset")

    page.click('#views [data-view="room"]')
    rooms = {s["room"]["name"] for s in of_day(program["en"]["sessions"])}
    expect(page.locator(".grid .room-head")).to_have_count(len(rooms))
    expect(page.locator(".grid .cell")).to_have_count(len(of_day(program["en"]["sessions"])))
    page.click("#days button >> nth=1")
    expect(page.locator(".grid .cell")).to_have_count(
        len(of_day(program["en"]["sessions"], "2026-11-27")))

    page.click('#views [data-view="track"]')
    expect(page.locator("#program h2.group-heading").first).to_have_text("General sessions")
    expect(page.locator("#program h2.group-heading")).to_have_count(7)  # 6 tracks, plenaries


def test_language_switch_shows_kazakh_titles(page, program):
    open_program(page)
    page.click('#lang-switch button[data-locale="kk"]')
    expect(page.locator("h1")).to_have_text("Бағдарлама")
    first = of_day(program["kk"]["sessions"])[0]
    assert first["title"] != of_day(program["en"]["sessions"])[0]["title"]
    expect(page.locator(f'.session[data-session="{first["id"]}"] .open')).to_have_text(
        first["title"])
    expect(page.locator("#days button").first).to_have_text("26 қараша, бейсенбі")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    page.click('#lang-switch button[data-locale="ru"]')
    expect(page.locator(f'.session[data-session="{first["id"]}"] .open')).to_have_text(
        next(s["title"] for s in program["ru"]["sessions"] if s["id"] == first["id"]))
    expect(page.locator("#count")).to_contain_text("сесси")


def test_offline_reload_shows_the_cached_program(page, program):
    open_program(page)
    controlled = page.evaluate("""() => navigator.serviceWorker.controller !== null
      || new Promise((resolve) => {
        navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true));
        setTimeout(() => resolve(false), 10000);
      })""")
    assert controlled, "no service worker took control of the page"
    page.reload()  # through the worker now: the page, its modules and the program are kept
    open_program(page)
    expect(page.locator("#offline-note")).to_be_hidden()

    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#program .session")).to_have_count(len(of_day(program["en"]["sessions"])))
    expect(page.locator("#offline-note")).to_be_visible()
    expect(page.locator("#offline-note")).to_contain_text(
        "You are offline. Showing the program as last updated")
    choose(page, "track", "fintech")  # filters work from the copy too
    expect(page.locator("#program .session").first).to_have_attribute("data-track", "fintech")
    page.context.set_offline(False)


def test_star_adds_the_session_to_the_personal_agenda(page, program, live_app):
    needs(live_app, AGENDA)
    token = register(page, "agenda.star@example.kz")
    # From the manage page (the private link), in the same tab: the token comes along.
    page.goto(f"/manage#token={token}")
    page.click("text=Forum program and my agenda")
    page.wait_for_url("**/program")
    chosen = of_day(program["en"]["sessions"])[3]
    star = page.locator(f'.session[data-session="{chosen["id"]}"] .star')
    expect(star).to_have_attribute("aria-pressed", "false")
    star.click()
    expect(star).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#agenda-guest")).to_be_hidden()

    def saved():
        answer = page.request.get(AGENDA, headers={"Authorization": f"Bearer {token}"})
        assert answer.ok, answer.text()
        return answer.json()

    expect(star).to_have_attribute("aria-pressed", "true")
    agenda = saved()
    assert agenda["sessions"] == [chosen["id"]]
    # The personal feed as a webcal:// subscription, and its https address for other apps.
    https = agenda["calendar_url"]
    assert https.startswith("http") and "/api/v1/calendars/" in https
    expect(page.locator("#calendar-link")).to_have_attribute(
        "href", "webcal://" + https.split("://", 1)[1])
    expect(page.locator("#calendar-link")).to_have_text("📅 Subscribe in your calendar")
    expect(page.locator("#calendar-https")).to_have_attribute("href", https)
    page.click('#views [data-view="mine"]')
    expect(page.locator("#program .session")).to_have_count(1)

    # The hall's Wi-Fi gone: the last known agenda is still there to read.
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    expect(page.locator("#program .session")).to_have_count(1)
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#offline-note")).to_be_visible()
    expect(page.locator("#agenda-problem")).to_have_text(
        "You are offline: your personal agenda will show again once you are connected.")
    expect(page.locator("#program .session")).to_have_count(1)
    expect(page.locator("#program .session .open")).to_have_text(chosen["title"])
    page.context.set_offline(False)


def test_book_a_workshop_seat(page, program, live_app):
    needs(live_app, BOOKINGS)
    token = register(page, "agenda.book@example.kz")
    page.goto(f"/program#token={token}")
    assert "token" not in page.url  # moved out of the address bar
    workshop = next(s for s in of_day(program["en"]["sessions"]) if s["bookable"])
    page.locator(f'.session[data-session="{workshop["id"]}"] .open').click()
    expect(page.locator("#d-book")).to_have_text("Book a seat")
    seats = workshop["seats_left"]
    expect(page.locator("#d-seats")).to_have_text(f"{seats} seats left")
    page.click("#d-book")
    expect(page.locator("#d-book-status")).to_have_text("You have a seat.")
    expect(page.locator("#d-unbook")).to_be_visible()
    expect(page.locator("#d-seats")).to_have_text(f"{seats - 1} seats left")  # the server's count
    card = page.locator(f'.session[data-session="{workshop["id"]}"]')
    expect(card.locator(".chip.seats")).to_have_text(f"{seats - 1} seats left")
    expect(card.locator(".chip.booked")).to_have_text("Seat booked")
    again = page.request.post(BOOKINGS, data={"session": workshop["id"]},
                              headers={"Authorization": f"Bearer {token}"})
    assert again.status == 409 and again.json()["code"] == "already_booked"

    page.click("#d-unbook")
    expect(page.locator("#d-book-status")).to_have_text("Your booking is cancelled.")
    expect(page.locator("#d-book")).to_be_visible()


@pytest.mark.skipif(not SHOTS, reason="screenshots only when FORUM_SHOTS names a folder")
def test_screenshots(browser, live_server, live_app, program):
    """Phone and desktop pictures in every language, for a person to look at."""
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    workshop = next(s for s in of_day(program["en"]["sessions"]) if s["bookable"])
    for width, height in ((390, 844), (1280, 800)):
        for lang in ("kk", "ru", "en"):
            context = browser.new_context(viewport={"width": width, "height": height},
                                          locale=lang, base_url=live_server)
            context.clock.install(time=factories.NOW)
            page = context.new_page()
            open_program(page)
            name = f"{width}-{lang}"
            page.screenshot(path=folder / f"{name}-list.png")
            page.click('#views [data-view="room"]')
            page.screenshot(path=folder / f"{name}-rooms.png")
            page.click('#views [data-view="track"]')
            page.screenshot(path=folder / f"{name}-tracks.png")
            page.click('#views [data-view="time"]')
            page.locator(f'.session[data-session="{workshop["id"]}"] .open').click()
            expect(page.locator("#d-description p").first).to_be_visible()
            page.screenshot(path=folder / f"{name}-detail.png")
            rules = {rule.rule for rule in live_app.url_map.iter_rules()}
            if BOOKINGS in rules:
                token = register(page, f"shots.{name}@example.kz")
                page.goto(f"/program#token={token}")
                page.locator(".session .star").first.click()
                page.locator(f'.session[data-session="{workshop["id"]}"] .open').click()
                page.click("#d-book")
                expect(page.locator("#d-book-status")).not_to_be_empty()
                page.screenshot(path=folder / f"{name}-booked.png")
                page.click("#d-close")
                page.screenshot(path=folder / f"{name}-member.png")
                page.context.set_offline(True)
                page.reload()
                expect(page.locator("#offline-note")).to_be_visible()
                page.screenshot(path=folder / f"{name}-offline.png")
            context.close()
