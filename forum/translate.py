"""Flask-Babel for every text the server writes: problem+json titles and details, field
messages, mail. The catalogs are forum/translations/{kk,ru,en}/LC_MESSAGES/messages.po
(committed); they are compiled to .mo at start into a directory of this process, so a clean
clone needs no build step and a read-only install works.

The locale of a request: the participant's stored language where the route acts for one
(a manage token, set by the ``registrant`` decorator), else the body's ``locale`` field,
else Accept-Language, else English.

Problems are translated by code: ``problem.<code>.title`` and ``problem.<code>.detail``
(English in the en catalog), so clients keep branching on the same ``code`` in every
language. Field messages are translated by their English text; messages with numbers
(marshmallow's length and range messages, the project's validators) by their template.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from functools import cache
from pathlib import Path

from babel import support
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, force_locale, refresh
from werkzeug.exceptions import HTTPException

from forum.i18n import DEFAULT, LANGUAGES, negotiate

CATALOGS = Path(__file__).parent / "translations"


@cache
def compiled_catalogs() -> str:
    """The .po catalogs compiled once per process into a directory Flask-Babel reads."""
    out = Path(tempfile.mkdtemp(prefix="forum-translations-"))
    # Removed at exit by the process that made it only: forked workers share it.
    creator = os.getpid()
    atexit.register(lambda: os.getpid() == creator and shutil.rmtree(out, ignore_errors=True))
    for po in CATALOGS.glob("*/LC_MESSAGES/messages.po"):
        target = out / po.parent.parent.name / "LC_MESSAGES"
        target.mkdir(parents=True)
        with po.open("rb") as src:
            catalog = read_po(src)
        with (target / "messages.mo").open("wb") as dst:
            write_mo(dst, catalog)
    return str(out)


def select_locale() -> str:
    if not has_request_context():
        return DEFAULT
    chosen = g.get("forum_locale")
    if chosen in LANGUAGES:
        return chosen
    try:
        body = request.get_json(silent=True, cache=True) if request.is_json else None
    except RecursionError:  # nested past what the decoder holds: the parser answers 400
        body = None
    except HTTPException:  # the body itself failed (408 too slow, 413 too large): its
        body = None  # problem is being answered, in the header's language
    if isinstance(body, dict) and body.get("locale") in LANGUAGES:
        return body["locale"]
    return negotiate(None, request.accept_languages)


def use_locale(language: str | None) -> None:
    """The route acts for a person whose language is stored: answer in it from now on."""
    if language in LANGUAGES:
        g.forum_locale = language
        refresh()


def language() -> str:
    """The current request's language (kk, ru or en), chosen afresh: Flask-Babel caches its
    choice in the application context, which outlives a request in tests and CLI runs."""
    return select_locale()


@cache
def translations(locale: str) -> support.Translations:
    return support.Translations.load(compiled_catalogs(), [locale])


def translate(msgid: str, locale: str | None = None) -> str:
    """``msgid`` in ``locale`` (the request's by default); the msgid itself when missing."""
    return translations(locale or language()).gettext(msgid)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = compiled_catalogs()
    Babel(app, locale_selector=select_locale)
    app.before_request(refresh)  # templates rendered in a request use its language


def _catalog_text(msgid: str) -> str | None:
    text = translate(msgid)
    return None if text == msgid else text


def problem_texts(code: str, title: str, detail: str | None) -> tuple[str, str | None]:
    """Title and detail of a problem in the request's language. English keeps the specific
    detail written where the error was raised (it may name a gate, a limit); the other
    languages get the catalog's detail, else their title."""
    if not code or not has_request_context():
        return title, detail
    new_title = _catalog_text(f"problem.{code}.title") or title
    if language() == "en" and detail:
        return new_title, detail
    new_detail = _catalog_text(f"problem.{code}.detail")
    if new_detail is None:
        new_detail = detail if language() == "en" else new_title
    return new_title, new_detail


# Field messages with values in them: the English template → a pattern that reads them back.
TEMPLATES = (
    "Longer than maximum length {max}.",
    "Shorter than minimum length {min}.",
    "Length must be between {min} and {max}.",
    "Length must be {equal}.",
    "Must be greater than or equal to {min}.",
    "Must be less than or equal to {max}.",
    "Must be greater than or equal to {min} and less than or equal to {max}.",
    "Must be greater than {min}.",
    "Must be less than {max}.",
    "Must be at least {min} characters.",
    "Must be at most {max} characters.",
    "Must be one of: {choices}.",
    "Not a valid email address: {reason}",
    "Could not find a match for the given value.",
)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for template in TEMPLATES:
        parts = re.split(r"(\{\w+\})", template)
        regex = "".join(f"(?P<{p[1:-1]}>.+?)" if p.startswith("{") else re.escape(p)
                        for p in parts)
        out.append((re.compile(f"^{regex}$"), template))
    return tuple(out)


def field_message(message: str) -> str:
    """One validation message in the request's language."""
    if not has_request_context():
        return message
    exact = _catalog_text(message)
    if exact:
        return exact
    for pattern, template in _patterns():
        found = pattern.match(message)
        if found:
            translated = _catalog_text(template)
            if translated:
                try:
                    return translated.format(**found.groupdict())
                except (KeyError, IndexError):
                    return message
    return message


def field_messages(errors: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
    if not errors:
        return errors
    # Only lists of messages are translated; a domain's own shapes (roster rows) pass as given.
    return {field: [field_message(m) if isinstance(m, str) else m for m in messages]
            if isinstance(messages, list) else messages
            for field, messages in errors.items()}


__all__ = ["field_messages", "force_locale", "init_app", "language", "problem_texts",
           "translate", "use_locale"]
