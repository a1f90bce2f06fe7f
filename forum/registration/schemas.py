"""Request and response shapes of the registration endpoints."""

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates

from forum.fields import Country, Email, PersonName, Phone, Text, phone_display
from forum.registration.search import SORTS

LOCALES = ["kk", "ru", "en"]


def _PHONE_COUNTRY():  # noqa: N802  (a field factory, read like a field)
    return Country(load_default=None, load_only=True, metadata={
        "description": "Whose numbering a phone without + follows (ISO 3166-1 alpha-2); "
                       "default: `country`, else KZ"})


class _ReadsPhones(Schema):
    @post_load
    def _drop_phone_country(self, data: dict, **_kwargs) -> dict:
        data.pop("phone_country", None)  # used by the phone field only
        return data


class RegistrationIn(_ReadsPhones):
    first_name = PersonName(required=True, min_length=1)
    last_name = PersonName(required=True, min_length=1)
    first_name_cyrillic = PersonName(load_default="")
    last_name_cyrillic = PersonName(load_default="")
    email = Email(required=True)
    country = Country(required=True, metadata={"description": "ISO 3166-1 alpha-2"})
    organization = Text(max_length=200, load_default="")
    job_title = Text(max_length=200, load_default="")
    phone = Phone(load_default="", metadata={
        "description": "International (+7 701 123 45 67) or, without +, a number of `country` "
                       "(8 701 123 45 67); stored as E.164, e.g. +77011234567"})
    phone_country = _PHONE_COUNTRY()
    category = fields.String(load_default=None, validate=validate.Length(1, 32),
                             metadata={"description": "Category slug; default attendee"})
    delegation_code = fields.String(load_default=None, validate=validate.Length(1, 32))
    company_code = fields.String(load_default=None, validate=validate.Length(1, 32))
    locale = fields.String(load_default="en", validate=validate.OneOf(LOCALES))
    consent = fields.Boolean(required=True, metadata={
        "description": "Must be true: the registrant accepts the privacy notice."})

    @validates("consent")
    def _consent_given(self, value: bool, **_kwargs) -> None:
        if value is not True:
            raise ValidationError("You must accept the privacy notice.")


class RegistrationCreated(Schema):
    id = fields.String(metadata={"description": "Opaque registration id."})
    status = fields.String(metadata={"enum": ["confirmed", "pending", "waitlisted"]})
    manage_token = fields.String(metadata={
        "description": "Secret for /registrations/me; shown only in this answer."})


class _ParticipantFields(Schema):
    """Fields both the registrant and organizers see of a registration."""

    id = fields.String(attribute="public_id")
    status = fields.Function(lambda p: p.status.value)
    category = fields.Function(lambda p: p.category.slug)
    delegation = fields.Function(lambda p: p.delegation.name if p.delegation else None)
    company = fields.Function(lambda p: p.company.name if p.company else None)
    first_name = fields.String()
    last_name = fields.String()
    first_name_cyrillic = fields.String()
    last_name_cyrillic = fields.String()
    email = fields.String()
    phone = fields.String(metadata={"description": "E.164, e.g. +77011234567"})
    phone_display = fields.Function(lambda p: phone_display(p.phone), metadata={
        "description": "The phone as people read it, e.g. +7 701 123 45 67"})
    country = fields.String()
    organization = fields.String()
    job_title = fields.String()
    locale = fields.Function(lambda p: p.locale.value)
    created_at = fields.AwareDateTime()


class RegistrationOut(_ParticipantFields):
    """What the registrant sees of their own registration."""

    event = fields.Function(lambda p: p.event.slug)
    event_name = fields.Function(lambda p: p.event.name)
    category_names = fields.Function(lambda p: p.category.names)
    updated_at = fields.AwareDateTime()


class RegistrationPatch(_ReadsPhones):
    first_name = PersonName(min_length=1)
    last_name = PersonName(min_length=1)
    first_name_cyrillic = PersonName()
    last_name_cyrillic = PersonName()
    organization = Text(max_length=200)
    job_title = Text(max_length=200)
    phone = Phone()
    phone_country = _PHONE_COUNTRY()
    locale = fields.String(validate=validate.OneOf(LOCALES))


class CountryQuery(Schema):
    locale = fields.String(load_default=None, validate=validate.OneOf(LOCALES), metadata={
        "description": "kk, ru or en; without it, the best match of Accept-Language"})


class CountryOut(Schema):
    code = fields.String(metadata={"description": "ISO 3166-1 alpha-2"})
    name = fields.String(metadata={"description": "CLDR name in the asked language"})
    dial = fields.String(metadata={"description": "Calling code, e.g. +7 (empty for a few)"})


class CancelOut(Schema):
    id = fields.String(attribute="public_id")
    status = fields.Function(lambda p: p.status.value)


class ParticipantOut(_ParticipantFields):
    """Organizer view of a registration."""

    decided_at = fields.AwareDateTime(allow_none=True)


class DecisionIn(Schema):
    reason = Text(load_default="", max_length=500,
                  metadata={"description": "Kept in the audit log; told to a rejected person"})


class ParticipantCreated(Schema):
    participant = fields.Nested(ParticipantOut)
    manage_token = fields.String()


class ParticipantQuery(Schema):
    q = fields.String(load_default=None, validate=validate.Length(1, 100), metadata={
        "description": "Words of a name (Latin or Cyrillic), email, organization or phone; "
                       "3+ letters match anywhere, 1-2 letters the start of a word. Case, "
                       "accents and Kazakh/Russian letter variants are ignored."})
    status = fields.String(load_default=None, validate=validate.OneOf(
        ["pending", "confirmed", "waitlisted", "rejected", "cancelled"]))
    category = fields.String(load_default=None, validate=validate.Length(1, 32),
                             metadata={"description": "Category slug"})
    country = Country(load_default=None, metadata={"description": "ISO 3166-1 alpha-2"})
    delegation = fields.String(load_default=None, validate=validate.Length(1, 24),
                               metadata={"description": "Delegation id"})
    company = fields.String(load_default=None, validate=validate.Length(1, 24),
                            metadata={"description": "Company id"})
    checked_in = fields.Boolean(load_default=None, metadata={
        "description": "Admitted at least once through any zone's entry"})
    badge_printed = fields.Boolean(load_default=None, metadata={
        "description": "The current badge has been printed"})
    sort = fields.String(load_default="name", validate=validate.OneOf(SORTS), metadata={
        "description": "name, created, country or status; a leading - reverses"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class ParticipantRow(ParticipantOut):
    """A participant in a page of results, without the formatted phone: phonenumbers parses
    each number (0.2 ms), 10 ms for a page of 50; a person's own record carries it."""

    class Meta:
        exclude = ("phone_display",)


class ParticipantPage(Schema):
    items = fields.List(fields.Nested(ParticipantRow))
    total = fields.Integer(metadata={
        "description": "Matches: exact up to 1,000 (or up to this page), else a lower bound"})
    total_exact = fields.Boolean(metadata={
        "description": "false: counting stopped at total; there are more"})
    page = fields.Integer()
    per_page = fields.Integer()
