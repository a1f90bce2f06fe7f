"""Country names from CLDR (Babel) for every ISO 3166-1 country, in the order of a language.

The order follows each language's alphabet, as CLDR's collation does at its first level:
Kazakh puts ә after а, ғ after г, қ after к, ң after н, ө after о, ұ ү after у, һ after х
and і after ы; Russian keeps ё with е; English ignores accents (Åland with the A's). Letters
outside a language's alphabet sort after it, by their base letter. A full Unicode collation
(PyICU) would need a C library on every host for the same result on these 249 names.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from functools import cache

import phonenumbers
import pycountry
from babel import Locale

LOCALES = ("kk", "ru", "en")

_LATIN = "abcdefghijklmnopqrstuvwxyz"
_ALPHABETS = {
    "kk": "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "en": _LATIN,
}
# Letters CLDR counts as a variant of another in that language (second level only).
_SAME = {"ru": {"ё": "е"}}


def _rank_table(locale: str) -> dict[str, int]:
    """Letter → its place: the language's alphabet first, then the other script's letters."""
    own = _ALPHABETS[locale]
    other = _ALPHABETS["ru"] if locale == "en" else _LATIN
    table = {ch: 100 + i for i, ch in enumerate(own)}
    for i, ch in enumerate(other):
        table.setdefault(ch, 200 + i)
    for variant, base in _SAME.get(locale, {}).items():
        table[variant] = table[base]
    return table


def _base(ch: str) -> str:
    """The letter without its accents (é → e), kept when the accent makes a letter of its own."""
    return unicodedata.normalize("NFD", ch)[0]


def sort_key(name: str, locale: str) -> tuple:
    """A key ordering names as a reader of ``locale`` expects (case and accents second)."""
    table = _RANKS[locale]
    primary = []
    for ch in name.casefold():
        if ch in table:
            primary.append(table[ch])
        elif _base(ch) in table:
            primary.append(table[_base(ch)])
        elif ch.isalnum():
            primary.append(1000 + ord(_base(ch)))
        else:
            primary.append(1)  # spaces, hyphens, brackets: before any letter
    return tuple(primary), name.casefold(), name


_RANKS = {locale: _rank_table(locale) for locale in LOCALES}


def _dial(code: str) -> str:
    calling = phonenumbers.country_code_for_region(code)
    return f"+{calling}" if calling else ""


@cache
def countries(locale: str) -> tuple[dict[str, str], ...]:
    """Every ISO 3166-1 country as {code, name, dial}, named in CLDR's ``locale``, in its
    order; ``dial`` is its calling code (+7), empty for the few places without one."""
    names = Locale.parse(locale).territories
    rows = [{"code": c.alpha_2, "name": names.get(c.alpha_2) or c.name, "dial": _dial(c.alpha_2)}
            for c in pycountry.countries]
    return tuple(sorted(rows, key=lambda row: sort_key(row["name"], locale)))


@cache
def _names(locale: str) -> dict[str, str]:
    return {row["code"]: row["name"] for row in countries(locale)}


def name(code: str, locale: str) -> str:
    """One country's CLDR name in ``locale`` (the code itself when it is not a country)."""
    return _names(locale if locale in LOCALES else "en").get(code, code)


@cache
def body(locale: str) -> tuple[bytes, str]:
    """The JSON answer for ``locale`` and its strong ETag (the data change only on upgrade)."""
    data = json.dumps(list(countries(locale)), ensure_ascii=False,
                      separators=(",", ":")).encode()
    return data, hashlib.sha256(data).hexdigest()[:32]
