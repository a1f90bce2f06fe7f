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


def negotiate(asked: str | None, accept_language) -> str:
    """The language of an answer: an explicit ``lang`` parameter, else the best match of the
    Accept-Language header (werkzeug's ``request.accept_languages``), else English."""
    if asked in LANGUAGES:
        return asked
    if accept_language is not None:
        return accept_language.best_match(LANGUAGES) or DEFAULT  # "ru-RU" matches "ru"
    return DEFAULT
