"""A confirmed participant's "add to calendar" file: the forum days at the venue.

The file depends only on the event and the registration (no wall clock), so fetching it twice
gives the same bytes and a calendar app that imports it again updates the same entry.
"""

from __future__ import annotations

from datetime import timedelta

from babel import Locale
from icalendar import Calendar
from icalendar import Event as VEvent

from forum.badges.service import ensure_badge
from forum.registration.models import Participant

PRODID = "-//Digital Bridge//forum badge//EN"

# What to bring and where to go, written into the calendar entry in the person's language
# (the manage page says the same from its own dictionary).
INSTRUCTIONS = {
    "kk": ("Бейджді тіркеу бетінен басып шығарыңыз немесе басты кіреберістегі аккредитация "
           "үстелінен алыңыз. Кіреберісте QR кодын (қағазда немесе телефонда, экран "
           "жарықтығын арттырып) жеке куәлігіңізбен бірге көрсетіңіз."),
    "ru": ("Распечатайте бейдж на странице регистрации или получите его на стойке "
           "аккредитации у главного входа. На входе покажите QR-код (на бумаге или на "
           "телефоне, прибавив яркость экрана) вместе с удостоверением личности."),
    "en": ("Print your badge from your registration page or collect it at the accreditation "
           "desk at the main entrance. At the door, show the QR code (on paper or on your "
           "phone, with the screen brightness turned up) together with an identity document."),
}


def location(participant: Participant) -> str:
    """Venue, city and country, the country named in the participant's language (CLDR)."""
    event, language = participant.event, participant.locale.value
    country = Locale.parse(language).territories.get(event.country, "")
    return ", ".join(part for part in (event.place_in(language), country) if part)


def forum_calendar(session, participant: Participant, *, now, base_url: str) -> bytes:
    """One all-day VEVENT over the forum's days; only for confirmed registrations."""
    badge = ensure_badge(session, participant, now=now)  # 404 no_badge before confirmation
    event = participant.event
    language = participant.locale.value
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = VEvent()
    entry.add("uid", f"{participant.public_id}.{event.slug}@digital-bridge")
    # DTSTAMP must be given (RFC 5545); the badge's issue time keeps the bytes stable.
    entry.add("dtstamp", badge.issued_at)
    entry.add("dtstart", event.starts_on)
    entry.add("dtend", event.ends_on + timedelta(days=1))  # all-day ends are exclusive
    entry.add("summary", event.name)
    entry.add("location", location(participant))
    entry.add("description", f"{INSTRUCTIONS[language]}\n\n{base_url}/manage")
    entry.add("url", f"{base_url}/manage")
    entry.add("transp", "OPAQUE")
    calendar.add_component(entry)
    return calendar.to_ical()
