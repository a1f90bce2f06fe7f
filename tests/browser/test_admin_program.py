"""The panel's Program section in Chromium: a program manager adds a room, a track and a
session, is stopped by a double booking that names the other session, fixes the time and
publishes version 1.0 with both sessions in its changelog; a viewer has no Program section.

Set ADMIN_PROGRAM_SHOTS to a folder to keep screenshots (laptop and tablet, kk and ru)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.accounts.models import Role
from forum.events.models import Event
from tests.auth import PASSWORD, make_account

LAPTOP = {"width": 1280, "height": 800}
TABLET = {"width": 820, "height": 1180}
SHOTS = os.environ.get("ADMIN_PROGRAM_SHOTS")


@pytest.fixture(scope="module")
def staff(live_app):
    from forum.extensions import db

    with live_app.app_context():
        session = db.session
        event = session.scalar(select(Event).where(Event.slug == "digital-bridge"))
        manager = make_account(session, role=Role.PROGRAM, event=event,
                               email="program.panel@example.kz")
        viewer = make_account(session, role=Role.VIEWER, event=event,
                              email="viewer.panel@example.kz")
        out = {"manager": manager.email, "viewer": viewer.email}
        session.remove()
    return out


def _sign_in(page, email: str) -> None:
    page.set_viewport_size(LAPTOP)
    page.goto("/admin")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#sign-in button[type=submit]")
    expect(page.locator("#shell")).to_be_visible()


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _session(page, title: str, starts: str, ends: str, speaker: str | None = None) -> None:
    page.click("#session-new")
    expect(page.locator("#session-form")).to_be_visible()
    page.fill("#s-title-en", title)
    page.fill("#s-starts_at", starts)
    page.fill("#s-ends_at", ends)
    page.select_option("#s-room", "hall-a")
    page.select_option("#s-track", "ai")
    page.select_option("#s-status", "published")
    if speaker:
        page.click("#s-speakers button.secondary")
        row = page.locator("#s-speakers .repeat-row").last
        row.locator("select").first.select_option(label=speaker)
        row.locator("select").last.select_option("moderator")
    page.click("#session-save")


def test_plan_a_room_track_and_sessions_then_publish(new_page, staff):
    page = new_page("en-US")
    _sign_in(page, staff["manager"])
    # The program role sees the Program section only, so the panel opens on it.
    expect(page.locator("#nav a")).to_have_count(1)
    expect(page.locator("#nav a[aria-current=page]")).to_have_text("Program")

    page.click("#tab-rooms")
    page.click("#room-new")
    page.click("#room-save")  # empty: the server's field errors beside the fields
    expect(page.locator("#room-slug-error")).not_to_be_empty()
    expect(page.locator("#room-name-error")).not_to_be_empty()
    page.fill("#room-name-en", "Hall A")
    page.fill("#room-name-ru", "Зал A")
    page.fill("#room-name-kk", "A залы")
    page.fill("#room-slug", "hall-a")
    page.fill("#room-capacity", "300")
    page.fill("#room-location", "Floor 1")
    page.check("#room-interpretation")
    page.click("#room-save")
    expect(page.locator("#drawer")).to_be_hidden()
    expect(page.locator("#program-pane tbody tr")).to_have_count(1)
    expect(page.locator("#program-pane tbody tr")).to_contain_text("Hall A")

    page.click("#tab-tracks")
    page.click("#track-new")
    page.fill("#track-name-en", "Artificial intelligence")
    page.fill("#track-name-ru", "Искусственный интеллект")
    page.fill("#track-name-kk", "Жасанды интеллект")
    page.fill("#track-slug", "ai")
    page.fill("#track-colour", "#7c3aed")
    page.click("#track-save")
    expect(page.locator("#program-pane tbody tr")).to_contain_text("Artificial intelligence")
    expect(page.locator("#program-pane tbody tr")).to_contain_text("#7c3aed")

    page.click("#tab-speakers")
    page.click("#speaker-new")
    page.fill("#speaker-name", "Aida Sarsenova")
    page.fill("#speaker-organization", "Astana Hub")
    page.fill("#speaker-country", "kz")
    page.fill("#speaker-bio-ru", "Руководит программами акселерации.")
    page.check("#speaker-consent-profile")
    page.click("#speaker-links button.secondary")
    page.locator("#speaker-links input[type=url]").fill("not a link")
    page.click("#speaker-save")  # the link's error shows beside the links
    expect(page.locator("#speaker-links-error")).not_to_be_empty()
    page.locator("#speaker-links input[type=url]").fill("https://astanahub.com")
    page.click("#speaker-save")
    expect(page.locator("#drawer")).to_be_hidden()
    expect(page.locator("#program-pane tbody tr")).to_contain_text("Aida Sarsenova")
    expect(page.locator("#program-pane tbody tr")).to_contain_text("KZ")

    page.click("#tab-sessions")
    _session(page, "Opening plenary", "2026-11-26T10:00", "2026-11-26T11:00",
             speaker="Aida Sarsenova")
    expect(page.locator("#drawer")).to_be_hidden()
    first = page.locator("#session-list tbody tr")
    expect(first).to_have_count(1)
    expect(first).to_contain_text("10:00–11:00")  # the event's clock, as typed
    expect(first).to_contain_text("Opening plenary")
    expect(first).to_contain_text("Aida Sarsenova")

    _session(page, "AI in government", "2026-11-26T10:30", "2026-11-26T11:30")
    conflict = page.locator("#session-alert .conflict")
    expect(conflict).to_have_attribute("data-code", "room_double_booked")
    expect(conflict).to_contain_text("The room is already booked at this time")
    expect(conflict.locator(".open-session")).to_contain_text("Opening plenary")
    expect(conflict.locator(".open-session")).to_contain_text("10:00–11:00")
    _shot(page, "conflict-en-laptop")
    page.fill("#s-starts_at", "2026-11-26T11:00")
    page.fill("#s-ends_at", "2026-11-26T12:00")
    page.click("#session-save")
    expect(page.locator("#drawer")).to_be_hidden()
    expect(page.locator("#session-list tbody tr")).to_have_count(2)

    page.click("#tab-publish")
    page.click("#publish-submit")
    expect(page.locator("#publish-name-error")).not_to_be_empty()
    page.fill("#publish-name", "1.0")
    page.fill("#publish-note", "The first program.")
    page.click("#publish-submit")
    added = page.locator("#publish-result [data-change=added]")
    expect(added).to_contain_text("Opening plenary")
    expect(added).to_contain_text("AI in government")
    expect(page.locator("#versions [data-version='1.0']")).to_be_visible()
    page.fill("#publish-name", "1.1")  # nothing changed since: said so, nothing published
    page.click("#publish-submit")
    expect(page.locator("#publish-alert")).to_contain_text("Nothing changed")

    # The conflicts tab is clear; a session link in the changelog opens the session.
    page.click("#tab-conflicts")
    expect(page.locator("#conflicts-summary")).to_contain_text("No conflicts")
    expect(page.locator("#program-pane tbody tr", has_text="No speaker yet")).to_have_count(1)
    page.click("#tab-publish")
    version = page.locator("#versions [data-version='1.0']")
    version.locator("summary").click()
    version.locator(".open-session", has_text="AI in government").click()
    expect(page.locator("#s-title-en")).to_have_value("AI in government")
    expect(page.locator("#s-starts_at")).to_have_value("2026-11-26T11:00")


@pytest.mark.parametrize("locale", ["kk-KZ", "ru-RU"])
def test_program_section_in_kazakh_and_russian(new_page, staff, locale):
    page = new_page(locale)
    _sign_in(page, staff["manager"])
    lang = locale[:2]
    nav = {"kk": "Бағдарлама", "ru": "Программа"}[lang]
    expect(page.locator("#nav a[aria-current=page]")).to_have_text(nav)
    expect(page.locator("#session-list h2.day").first).to_be_visible()
    expect(page.locator("#session-list")).to_contain_text(
        {"kk": "26 қараша", "ru": "26 ноября"}[lang])
    for size, viewport in (("laptop", LAPTOP), ("tablet", TABLET)):
        page.set_viewport_size(viewport)
        page.click("#tab-sessions")
        _shot(page, f"sessions-{lang}-{size}")
        page.locator("#session-list .open-session").first.click()
        expect(page.locator("#session-form")).to_be_visible()
        _shot(page, f"session-form-{lang}-{size}")
        page.click("#drawer-close")
        page.click("#tab-publish")
        expect(page.locator("#versions [data-version='1.0']")).to_be_visible()
        page.locator("#versions [data-version='1.0'] summary").click()
        _shot(page, f"publish-{lang}-{size}")
        page.click("#tab-rooms")
        _shot(page, f"rooms-{lang}-{size}")
        page.click("#tab-conflicts")
        _shot(page, f"conflicts-{lang}-{size}")
    page.set_viewport_size(LAPTOP)
    page.click("#tab-speakers")
    page.click("#speaker-new")
    _shot(page, f"speaker-form-{lang}-laptop")


def test_a_speakers_photo_upload_and_private_link_from_the_panel(new_page, staff, query):
    from forum.program.models import SpeakerPhoto
    from tests import factories
    from tests.program.test_photos import png_with_metadata

    def make(session):
        event = session.scalar(select(Event).where(Event.slug == "digital-bridge"))
        speaker = factories.make_speaker(session, event, name="Photo Person")
        session.commit()
        return speaker.id

    speaker_row = query(make)
    page = new_page("en-US")
    _sign_in(page, staff["manager"])
    page.click("#tab-speakers")
    page.click("#program-pane .row-link:text-is('Photo Person')")
    expect(page.locator("#speaker-photo-status")).to_have_text("No photo yet.")
    page.set_input_files("#speaker-photo", files=[{
        "name": "fake.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff not a jpeg"}])
    page.click("#speaker-photo-upload")
    expect(page.locator("#speaker-photo-error")).to_have_text(
        "That file is not a JPEG, PNG or WebP image.")
    page.set_input_files("#speaker-photo", files=[{
        "name": "me.png", "mimeType": "image/png", "buffer": png_with_metadata()}])
    page.click("#speaker-photo-upload")
    expect(page.locator("#speaker-photo-status")).to_have_text("Photo saved.")
    expect(page.locator("#speaker-photo-preview")).to_be_visible()
    stored = query(lambda session: session.get(SpeakerPhoto, speaker_row))
    assert (stored.width, stored.height) == (100, 200)

    page.click("#speaker-link-create")
    link = page.locator("#speaker-link-url")
    expect(link).to_be_visible()
    url = link.input_value()
    assert "/speaker#token=" in url
    me = page.request.get("/api/v1/speakers/me",
                          headers={"Authorization": f"Bearer {url.split('#token=')[1]}"})
    assert me.ok and me.json()["name"] == "Photo Person" and me.json()["has_photo"] is True


def test_a_viewer_has_no_program_section(new_page, staff):
    page = new_page("en-US")
    _sign_in(page, staff["viewer"])
    expect(page.locator("#nav a[aria-current=page]")).to_have_text("Dashboard")
    expect(page.locator("#nav a[href='#program']")).to_have_count(0)
