"""Plausible people: names in Latin (and Cyrillic where natural), unique emails, valid phones."""

from __future__ import annotations

import bisect
import functools
import itertools
import random
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberType

from forum.demo.catalog import KZ_MOBILE_PREFIXES, REGIONAL
from forum.demo.names import COUNTRY_CULTURES, CULTURES, feminine
from forum.registration.models import Locale

PERSONAL_DOMAINS_KZ = ("mail.example.kz", "inbox.example.kz", "example.kz", "post.example.com")
PERSONAL_DOMAINS = ("mail.example.com", "example.com", "inbox.example.org", "example.net")

# Letters that Unicode decomposition does not reduce to ASCII.
_ASCII_FOLD = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "æ": "ae"})
_NOT_LOCAL = re.compile(r"[^a-z0-9.-]+")

# Which interface language people choose, by culture or country (first match wins).
_LOCALES_BY_CULTURE = {
    "kz": ((Locale.KK, 55), (Locale.RU, 40), (Locale.EN, 5)),
    "ru": ((Locale.RU, 85), (Locale.KK, 5), (Locale.EN, 10)),
}
_LOCALES_NEIGHBOURS = ((Locale.RU, 60), (Locale.EN, 40))
_RUSSIAN_SPEAKING = frozenset({"RU", "BY"}) | REGIONAL


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    first_name_cyrillic: str
    last_name_cyrillic: str
    email: str
    phone: str
    locale: Locale


@functools.lru_cache(maxsize=4096)
def ascii_slug(text: str) -> str:
    """Lower-case ASCII for an email local part or a domain label (Müller → muller)."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    return _NOT_LOCAL.sub("", plain.replace(" ", "-"))


def weighted(rng: random.Random, choices: tuple[tuple[Any, int], ...]) -> Any:
    """One value of ``(value, weight)`` pairs."""
    values, cumulative = _cumulative(choices)
    return values[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


@functools.cache
def _cumulative(choices: tuple[tuple[Any, int], ...]) -> tuple[tuple, tuple[int, ...]]:
    values, weights = zip(*choices, strict=True)
    return values, tuple(itertools.accumulate(weights))


class PeopleFactory:
    """Makes people of a given country; every email it hands out is unique (case-folded)."""

    def __init__(self, rng: random.Random, taken_emails: set[str]) -> None:
        self.rng = rng
        self.taken_emails = taken_emails
        self._phone_templates: dict[str, tuple[int, str]] = {}

    def person(self, country: str, *, domain: str | None = None) -> Person:
        rng = self.rng
        culture_key = weighted(rng, COUNTRY_CULTURES.get(country, (("en", 1),)))
        culture = CULTURES[culture_key]
        female = rng.random() < 0.5
        first, first_cyr = rng.choice(culture.female if female else culture.male)
        last, last_cyr = rng.choice(culture.surnames)
        if female and culture.gendered:
            last = feminine(last, cyrillic=False)
            last_cyr = feminine(last_cyr, cyrillic=True) if last_cyr else ""
        if domain is None:
            domain = rng.choice(PERSONAL_DOMAINS_KZ if country == "KZ" else PERSONAL_DOMAINS)
        return Person(
            first_name=first, last_name=last,
            first_name_cyrillic=first_cyr if last_cyr else "",
            last_name_cyrillic=last_cyr if first_cyr else "",
            email=self.email(first, last, domain), phone=self.phone(country),
            locale=self._locale(culture_key, country))

    def email(self, first: str, last: str, domain: str) -> str:
        f, surname = ascii_slug(first), ascii_slug(last)
        style = self.rng.random()
        if style < 0.55:
            local = f"{f}.{surname}"
        elif style < 0.75:
            local = f"{f[0]}.{surname}"
        elif style < 0.9:
            local = f"{f}{surname}"
        else:
            local = f"{surname}.{f}"
        address = f"{local}@{domain}"
        n = 1
        while address in self.taken_emails:
            n += 1
            address = f"{local}{n}@{domain}"
        self.taken_emails.add(address)
        return address

    def phone(self, country: str) -> str:
        """A mobile number valid for the country, in E.164."""
        rng = self.rng
        if country == "KZ":
            return f"+7{rng.choice(KZ_MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"
        code, national = self._template(country)
        keep = max(len(national) - 6, 2)
        for _ in range(20):
            free = len(national) - keep
            digits = f"{national[:keep]}{rng.randrange(10**free):0{free}d}"
            number = PhoneNumber(country_code=code, national_number=int(digits))
            if phonenumbers.is_valid_number_for_region(number, country):
                return f"+{code}{digits}"
        return f"+{code}{national}"

    def _template(self, country: str) -> tuple[int, str]:
        template = self._phone_templates.get(country)
        if template is None:
            example = phonenumbers.example_number_for_type(country, PhoneNumberType.MOBILE)
            template = (example.country_code, str(example.national_number))
            self._phone_templates[country] = template
        return template

    def _locale(self, culture_key: str, country: str) -> Locale:
        if country == "KZ" and culture_key in _LOCALES_BY_CULTURE:
            return weighted(self.rng, _LOCALES_BY_CULTURE[culture_key])
        if country in _RUSSIAN_SPEAKING:
            return weighted(self.rng, _LOCALES_NEIGHBOURS)
        return Locale.EN
