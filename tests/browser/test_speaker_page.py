"""The speaker's own page (/speaker#token=…): the speaker changes their bio, consents and
photo through the private link, and /program shows the result."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forum.events.models import Event
from forum.program import speaker_links
from tests import factories
from tests.program.test_photos import png_with_metadata

pytestmark = pytest.mark.browser

NEW_BIO = "Builds digital bridges across Central Asia."


@pytest.fixture(scope="module")
def speaker_link(live_app):
    """A speaker on a published session, with a private link; their bio is not public yet."""
    from sqlalchemy import select

    from forum.extensions import db

    with live_app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == "digital-bridge"))
        speaker = factories.make_speaker(db.session, event, name="Dana Seitkali",
                                         bio={"en": "Old bio."}, consent_bio=False)
        item = factories.make_session(db.session, event, speakers=[speaker], start="11:00")
        factories.publish(db.session, event)
        token = speaker_links.issue(db.session, speaker, event=event, now=factories.NOW,
                                    actor="test")
        db.session.commit()
        found = {"token": token, "speaker": speaker.public_id, "session": item.public_id,
                 "name": speaker.name}
        db.session.remove()
    return found


def test_the_speaker_changes_bio_consent_and_photo_and_sees_them_on_the_program(
        page, speaker_link):
    page.goto(f"/speaker#token={speaker_link['token']}")
    expect(page.locator("#name")).to_have_value(speaker_link["name"])
    assert speaker_link["token"] not in page.url  # taken out of the address bar
    expect(page.locator("#profile-event")).to_have_text("Digital Bridge 2026")
    expect(page.locator("#bio-en")).to_have_value("Old bio.")
    expect(page.locator("#consent-bio")).not_to_be_checked()

    page.fill("#bio-en", NEW_BIO)
    page.check("#consent-bio")
    page.click("#save")
    expect(page.locator("#save-status")).to_have_text("Saved.")

    page.set_input_files("#photo-file", files=[{
        "name": "me.png", "mimeType": "image/png", "buffer": png_with_metadata()}])
    page.click("#photo-upload")
    expect(page.locator("#photo-status")).to_have_text("Photo saved.")
    expect(page.locator("#photo-preview")).to_be_visible()
    expect(page.locator("#photo-private")).to_be_visible()  # no photo consent yet
    page.check("#consent-photo")
    page.click("#save")
    expect(page.locator("#save-status")).to_have_text("Saved.")
    expect(page.locator("#photo-private")).to_be_hidden()

    page.click('#lang-switch button[data-locale="kk"]')
    expect(page.locator("h1")).to_have_text("Менің спикер профилім")
    expect(page.locator("#save")).to_have_text("Сақтау")

    page.goto(f"/program?session={speaker_link['session']}")
    speaker = page.locator(f'#d-speakers li[data-speaker="{speaker_link["speaker"]}"]')
    expect(speaker).to_contain_text(speaker_link["name"])
    photo = speaker.locator("img.speaker-photo")
    expect(photo).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=photo.element_handle())
    assert photo.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [100, 200]
    speaker.locator(".profile-toggle").click()
    expect(speaker.locator(".bio")).to_have_text(NEW_BIO)


def test_a_bad_or_missing_link_says_what_to_do(page, speaker_link):
    page.goto("/speaker#token=not-a-real-token")
    expect(page.locator("#page-alert")).to_have_text(
        "This link is not valid or was renewed. Ask the organizers for a new one.")
    expect(page.locator("#profile-form")).to_be_hidden()
    page.goto("/speaker")
    expect(page.locator("#page-alert")).to_have_text(
        "Open this page with the private link the organizers sent you.")
