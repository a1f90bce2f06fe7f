"""Marshmallow fields for people's data: names in any script, emails, countries, phones."""

from __future__ import annotations

import unicodedata

import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email
from marshmallow import ValidationError, fields


class Text(fields.String):
    """Trimmed, NFC-normalised text without control characters, of bounded length."""

    def __init__(self, *, max_length: int = 200, min_length: int = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length
        self.min_length = min_length

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        text = unicodedata.normalize("NFC", " ".join(text.split()))
        if any(unicodedata.category(ch).startswith("C") for ch in text):
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


class Phone(fields.String):
    """A phone number in E.164 form (+77011234567); spaces and dashes are tolerated."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if text == "":
            return ""
        if not text.startswith("+"):
            raise ValidationError("Use the international format, starting with + and the "
                                  "country code (E.164).")
        try:
            number = phonenumbers.parse(text, None)
        except phonenumbers.NumberParseException as exc:
            raise ValidationError("Not a valid phone number.") from exc
        if not phonenumbers.is_valid_number(number):
            raise ValidationError("Not a valid phone number.")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)
