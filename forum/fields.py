"""Marshmallow fields for people's data (names in any script, emails, countries, phones) and
for texts in three languages."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email
from flask import has_request_context
from marshmallow import ValidationError, fields

from forum import translate
from forum.i18n import DEFAULT, LANGUAGES

ZWNJ = "\u200c"  # zero-width non-joiner: part of Persian spelling (علی‌رضا, می‌خواهم)


def _joiner_ok(text: str, i: int) -> bool:
    """A ZWNJ between two letters is spelling; anywhere else, like every other invisible or
    control character (bidi overrides included), it only hides what the text says."""
    return (text[i] == ZWNJ and 0 < i < len(text) - 1
            and text[i - 1].isalpha() and text[i + 1].isalpha())


class Text(fields.String):
    """Trimmed, NFC-normalised text without control characters, of bounded length."""

    def __init__(self, *, max_length: int = 200, min_length: int = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length
        self.min_length = min_length

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        text = unicodedata.normalize("NFC", " ".join(text.split()))
        if any(unicodedata.category(ch).startswith("C") and not _joiner_ok(text, i)
               for i, ch in enumerate(text)):
            raise ValidationError("Contains characters that are not allowed.")
        if len(text) < self.min_length:
            raise ValidationError("Missing data for required field." if not text
                                  else f"Must be at least {self.min_length} characters.")
        if len(text) > self.max_length:
            raise ValidationError(f"Must be at most {self.max_length} characters.")
        return text


class PersonName(Text):
    """A name in any script (Kazakh ә ғ қ ң ө ұ ү һ і included), kept as typed."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text and not any(ch.isalpha() for ch in text):
            raise ValidationError("Must contain letters.")
        if any(ch in "<>{}[]@#$%^*=_|\\~`\"" for ch in text):
            raise ValidationError("Contains characters that are not allowed in a name.")
        return text


class Email(fields.String):
    """An email address, syntax-checked and normalised (domain lower-cased); no DNS lookup."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if len(text) > 254:
            raise ValidationError("Must be at most 254 characters.")
        try:
            checked = validate_email(text, check_deliverability=False)
        except EmailNotValidError as exc:
            raise ValidationError(f"Not a valid email address: {exc}") from exc
        return checked.normalized.lower()


class Country(fields.String):
    """An ISO 3166-1 alpha-2 country code, returned upper-case."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        code = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
            raise ValidationError("Not an ISO 3166-1 alpha-2 country code.")
        return code


# Said to a person whose number could not be read, in the language of their request.
PHONE_HELP = {
    "kk": "Халықаралық форматта жазыңыз, мысалы +7 701 123 45 67.",
    "ru": "Укажите номер в международном формате, например +7 701 123 45 67.",
    "en": "Use the international format, for example +7 701 123 45 67.",
}
# Numbers typed without a country code are read as numbers of this country, unless the body
# names another: the forum is in Kazakhstan (8 701 …, 701 … are Kazakh mobile numbers).
HOME_REGION = "KZ"


def _language(data) -> str:
    """The request's language (forum.translate: the participant's stored one, the body's
    ``locale``, Accept-Language); a body read outside a request names its own."""
    if has_request_context():
        return translate.language()
    locale = data.get("locale") if isinstance(data, Mapping) else None
    return locale if locale in LANGUAGES else DEFAULT


class Phone(fields.String):
    """A phone number as people type it (+7 701 123 45 67, 8 701 123 45 67, 7011234567),
    stored in E.164 form (+77011234567). Without a leading + it is read as a number of the
    body's ``phone_country`` (the form's dialling-code choice), else its ``country``, else
    Kazakhstan."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if text == "":
            return ""
        region = None
        if isinstance(data, Mapping):
            region = data.get("phone_country") or data.get("country")
        region = region.upper() if isinstance(region, str) and len(region) == 2 else HOME_REGION
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException as exc:
            raise ValidationError(PHONE_HELP[_language(data)]) from exc
        if not phonenumbers.is_valid_number(number):
            raise ValidationError(PHONE_HELP[_language(data)])
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """A stored number as people read it: +7 701 123 45 67."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


class Paragraphs(fields.String):
    """Longer text (descriptions, bios): line breaks kept, other control characters refused."""

    def __init__(self, *, max_length: int = 5000, **kwargs) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = unicodedata.normalize("NFC", super()._deserialize(value, attr, data, **kwargs))
        text = "\n".join(line.strip() for line in text.replace("\r\n", "\n").split("\n"))
        if any(unicodedata.category(ch).startswith("C") and ch != "\n" for ch in text):
            raise ValidationError("Contains characters that are not allowed.")
        if len(text) > self.max_length:
            raise ValidationError(f"Must be at most {self.max_length} characters.")
        return text.strip()


class Multilingual(fields.Dict):
    """``{"kk"?, "ru"?, "en"?}``; blank texts count as missing."""

    def __init__(self, *, long: bool = False, needs_text: bool = False, max_length: int = 300,
                 **kwargs) -> None:
        values = Paragraphs() if long else Text(max_length=max_length)
        super().__init__(keys=fields.String(), values=values,
                         metadata={"description": "Text per language (kk, ru, en); any may "
                                                  "be missing."}, **kwargs)
        self.needs_text = needs_text

    def _deserialize(self, value, attr, data, **kwargs) -> dict[str, str]:
        unknown = sorted(set(value) - set(LANGUAGES)) if isinstance(value, dict) else []
        if unknown:
            raise ValidationError(f"Unknown language {', '.join(unknown)}: use kk, ru or en.")
        texts = {k: v for k, v in super()._deserialize(value, attr, data, **kwargs).items() if v}
        if self.needs_text and not texts:
            raise ValidationError("Give the text in at least one language (kk, ru or en).")
        return texts
