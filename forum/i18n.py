"""The forum's languages: multilingual texts with one fallback order, and the caller's choice.

A multilingual text is a dict ``{"kk": …, "ru": …, "en": …}`` where any language may be
missing or blank. Every reader goes through ``pick`` so the fallback is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("kk", "ru", "en")
DEFAULT = "en"
# After the language asked for: English for international guests, then Russian, then Kazakh.
FALLBACK = ("en", "ru", "kk")


def pick(texts: Mapping[str, str] | None, language: str, default: str = "") -> str:
    """The text in ``language``, else the first of the fallback order that is given."""
    if not texts:
        return default
    for candidate in (language, *FALLBACK):
        text = texts.get(candidate)
        if text:
            return text
    return default


def pick_named(texts: Mapping[str, str] | None, language: str, base: str) -> str:
    """A name kept as a base text plus names per language (a venue, a gate): the name in
    ``language``, else the base text, else ``pick``'s order. Where the API wrote the base
    text from the names (English first) this is the same as ``pick``."""
    return (texts or {}).get(language) or base or pick(texts, language)


def negotiate(asked: str | None, accept_language) -> str:
    """The language of an answer: an explicit ``lang`` parameter, else the best match of the
    Accept-Language header (werkzeug's ``request.accept_languages``), else English."""
    if asked in LANGUAGES:
        return asked
    if accept_language is not None:
        return accept_language.best_match(LANGUAGES) or DEFAULT  # "ru-RU" matches "ru"
    return DEFAULT


# --- dates and times from CLDR (Babel), on the event's clock ------------------------------

def format_event_dates(event, locale: str) -> str:
    """The event's days in ``locale``'s long dates, month names written out ("3 июня 2026 г. –
    5 июня 2026 г."); CLDR's interval patterns for these languages fall back to abbreviated
    months ("3–5 мау."). ``event.starts_on``/``ends_on`` are days of its own time zone
    already. For mail, calendar texts and badges."""
    from babel.dates import format_date

    language = locale if locale in LANGUAGES else DEFAULT
    first = format_date(event.starts_on, "long", locale=language)
    if event.starts_on == event.ends_on:
        return first
    return f"{first} – {format_date(event.ends_on, 'long', locale=language)}"


def format_event_time(moment, event, locale: str, form: str = "medium") -> str:
    """An aware moment as a date and time of the event's time zone, in ``locale``'s words."""
    from zoneinfo import ZoneInfo

    from babel.dates import format_datetime

    language = locale if locale in LANGUAGES else DEFAULT
    return format_datetime(moment, form, tzinfo=ZoneInfo(event.timezone), locale=language)
