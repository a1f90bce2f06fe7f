"""The confirmed registrant's "add to calendar" file and badge PDF from the manage page."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from ..factories import payload
from ..test_registration_api import assert_problem

EVENT = "/api/v1/events/digital-bridge"
ICS = "/api/v1/registrations/me/forum.ics"


def _register(client, **body) -> dict:
    r = client.post(f"{EVENT}/registrations", json=payload(**body))
    assert r.status_code == 201, r.get_data(as_text=True)
    return {"Authorization": f"Bearer {r.json['manage_token']}"}


def test_calendar_has_the_forum_days_at_the_venue_in_the_persons_language(client, event):
    headers = _register(client, locale="kk")
    r = client.get(ICS, headers=headers)
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    assert "no-store" in r.headers["Cache-Control"]
    assert "attachment" in r.headers["Content-Disposition"]
    [entry] = Calendar.from_ical(r.data).walk("VEVENT")
    assert entry.decoded("dtstart") == event.starts_on
    assert entry.decoded("dtend") == event.ends_on + timedelta(days=1)  # exclusive end
    assert str(entry["summary"]) == event.name
    assert str(entry["location"]) == f"{event.venue}, {event.city}, Қазақстан"
    assert "Кіреберісте QR кодын" in str(entry["description"])
    assert str(entry["url"]).endswith("/manage")
    # The same bytes again: a calendar app updates the entry it has instead of adding one.
    assert client.get(ICS, headers=headers).data == r.data


def test_calendar_names_the_venue_in_the_persons_language(client, session, event):
    event.venue_names = {"kk": "EXPO конгресс-орталығы", "ru": "Конгресс-центр EXPO"}
    event.city_names = {"kk": "Астана", "ru": "Астана"}
    session.commit()
    kk = Calendar.from_ical(client.get(ICS, headers=_register(client, locale="kk")).data)
    assert str(kk.walk("VEVENT")[0]["location"]) == "EXPO конгресс-орталығы, Астана, Қазақстан"
    en = Calendar.from_ical(client.get(ICS, headers=_register(client, locale="en")).data)
    # No English names given: the base texts.
    assert str(en.walk("VEVENT")[0]["location"]) == "EXPO Congress Centre, Astana, Kazakhstan"


def test_calendar_in_russian_and_english(client, event):
    ru = Calendar.from_ical(client.get(ICS, headers=_register(client, locale="ru")).data)
    assert "Казахстан" in str(ru.walk("VEVENT")[0]["location"])
    assert "удостоверением личности" in str(ru.walk("VEVENT")[0]["description"])
    en = Calendar.from_ical(client.get(ICS, headers=_register(client, locale="en")).data)
    assert str(en.walk("VEVENT")[0]["location"]).endswith(", Kazakhstan")


def test_nothing_before_confirmation(client, event):
    headers = _register(client, category="press")  # waits for accreditation
    for path in ("forum.ics", "badge.pdf"):
        body = assert_problem(client.get(f"/api/v1/registrations/me/{path}", headers=headers),
                              404, "no_badge")
        assert "confirmed" in body["detail"]
    assert_problem(client.get(ICS), 401, "missing_token")


def test_badge_pdf_is_private(client, event):
    r = client.get("/api/v1/registrations/me/badge.pdf", headers=_register(client))
    assert r.status_code == 200 and r.data.startswith(b"%PDF")
    assert "no-store" in r.headers["Cache-Control"]


def test_every_personal_answer_is_no_store(client, event):
    headers = _register(client)
    for path in ("", "/forum.ics", "/badge.pdf", "/qr.svg", "/qr.png"):
        r = client.get(f"/api/v1/registrations/me{path}", headers=headers)
        assert r.status_code == 200, path
        assert "no-store" in r.headers["Cache-Control"], path
