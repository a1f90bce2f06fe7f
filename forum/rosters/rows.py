"""Validating one roster row with the registration API's own field rules."""

from __future__ import annotations

import copy
import functools
import gettext
import unicodedata
from dataclasses import asdict, dataclass

import pycountry
from marshmallow import Schema, ValidationError, missing

from forum.registration.schemas import RegistrationIn

# Fields a row carries that the registration API validates; the definitions are the API's.
ROW_FIELDS = ("first_name", "last_name", "first_name_cyrillic", "last_name_cyrillic", "email",
              "phone", "country", "organization", "job_title", "locale", "category")
RosterRowIn = Schema.from_dict(
    {name: copy.deepcopy(RegistrationIn._declared_fields[name]) for name in ROW_FIELDS},
    name="RosterRowIn")
_ROW_SCHEMA = RosterRowIn()
# What a spreadsheet would run as a formula; exports prefix such text with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_LOWERED = ("locale", "category")

# Short forms people write that the ISO names do not cover.
_COUNTRY_EXTRAS = {
    "россия": "RU", "рф": "RU", "usa": "US", "сша": "US", "америка": "US", "uk": "GB",
    "great britain": "GB", "england": "GB", "великобритания": "GB", "англия": "GB",
    "корея": "KR", "korea": "KR", "кыргызстан": "KG", "оаэ": "AE", "uae": "AE",
    "turkey": "TR", "молдова": "MD", "чехия": "CZ", "czech republic": "CZ",
}


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet shows it: the header is row 1
    field: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


def neutralize(text: str) -> str:
    """Text a spreadsheet shows as typed: a leading formula character gets a quote before it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unneutralize(text: str) -> str:
    """The text an export neutralized, as it was (a quote before a formula character off)."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    return " ".join("".join(ch for ch in plain if not unicodedata.combining(ch)).split())


@functools.cache
def _country_names() -> dict[str, str]:
    """Folded country names in English and Russian (ISO 3166 and common forms) → alpha-2."""
    russian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"],
                                  fallback=True)
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        names[_fold(country.alpha_3)] = code
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                names.setdefault(_fold(name), code)
                names.setdefault(_fold(russian.gettext(name)), code)
    names.update({_fold(name): code for name, code in _COUNTRY_EXTRAS.items()})
    return names


def country_code(text: str) -> str:
    """An ISO alpha-2 code for a code or a name in English or Russian; else the text as given
    (the Country field then rejects it)."""
    stripped = text.strip()
    if len(stripped) == 2:
        return stripped.upper()
    return _country_names().get(_fold(stripped), stripped)


class RowLoader:
    """Validates rows with the row schema's fields, one field at a time.

    The same values come back thousands of times in a roster (countries, organizations, job
    titles, first names), and a field's answer depends on the value alone (the schema has no
    cross-field validator), so each loader remembers the answers for the fields below. Emails
    and phones, nearly all distinct, are checked every time.
    """

    _REMEMBERED = frozenset(ROW_FIELDS) - {"email", "phone"}

    def __init__(self) -> None:
        self._fields = _ROW_SCHEMA.fields
        self._answers: dict[tuple[str, str], tuple[bool, object]] = {}

    def _deserialize(self, name: str, value) -> tuple[bool, object]:
        try:
            return True, self._fields[name].deserialize(value)
        except ValidationError as exc:
            messages = exc.messages
            return False, list(messages) if isinstance(messages, list) else [str(messages)]

    def load(self, cells: dict[str, str]) -> tuple[dict, dict[str, list[str]]]:
        """Validated values of a row's non-empty cells, and the messages of invalid ones."""
        data = {}
        for name, raw in cells.items():
            text = unneutralize(raw.strip())
            if text:
                if name == "country":
                    text = country_code(text)
                elif name in _LOWERED:
                    text = text.lower()
                data[name] = text
        values, errors = {}, {}
        for name in ROW_FIELDS:
            value = data.get(name, missing)
            if name in self._REMEMBERED and value is not missing:
                key = (name, value)
                answer = self._answers.get(key)
                if answer is None:
                    answer = self._answers[key] = self._deserialize(name, value)
            else:
                answer = self._deserialize(name, value)
            ok, result = answer
            if ok:
                values[name] = result
            else:
                errors[name] = result
        return values, errors
