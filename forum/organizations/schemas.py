"""Company and delegation shapes."""

from marshmallow import Schema, ValidationError, fields, validate, validates

from forum.fields import Country, Email, PersonName, Text


class _EmailOrBlank(Email):
    """An email address, or "" for none (a head or contact not known yet)."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if isinstance(value, str) and not value.strip():
            return ""
        return super()._deserialize(value, attr, data, **kwargs)


class _UrlOrBlank(fields.String):
    """An http(s) address, or "" for none."""

    _check = validate.URL(schemes={"http", "https"})

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        return self._check(text) if text else ""


def _quota(**kwargs) -> fields.Integer:
    return fields.Integer(allow_none=True, validate=validate.Range(min=0, max=100_000),
                          metadata={"description": "Seats; null = unlimited"}, **kwargs)


def _website(**kwargs) -> fields.String:
    return _UrlOrBlank(validate=validate.Length(max=300), **kwargs)


# --- companies ---------------------------------------------------------------------------

class CompanyApplicationIn(Schema):
    name = Text(required=True, min_length=2, max_length=200)
    country = Country(required=True)
    website = fields.Url(load_default="", schemes={"http", "https"},
                         validate=validate.Length(max=300))
    exhibitor = fields.Boolean(load_default=False)
    contact_name = PersonName(required=True, min_length=1, max_length=200)
    contact_email = Email(required=True)
    consent = fields.Boolean(required=True)

    @validates("consent")
    def _consent_given(self, value: bool, **_kwargs) -> None:
        if value is not True:
            raise ValidationError("You must accept the privacy notice.")


class CompanyApplied(Schema):
    id = fields.String(attribute="public_id")
    status = fields.Function(lambda c: c.status.value)


class CompanyNameOut(Schema):
    name = fields.String()


class CompanyDecisionIn(Schema):
    quota = _quota(load_default=None)
    booth = Text(load_default=None, max_length=32)


class CompanyIn(Schema):
    """An organizer adds a company directly (approved at once)."""

    name = Text(required=True, min_length=2, max_length=200)
    country = Country(required=True)
    website = _website(load_default="")
    exhibitor = fields.Boolean(load_default=False)
    booth = Text(load_default="", max_length=32)
    contact_name = PersonName(load_default="", max_length=200)
    contact_email = _EmailOrBlank(load_default="")
    quota = _quota(load_default=None)


class CompanyPatch(Schema):
    """Any of a company's fields; those left out stay as they are."""

    name = Text(min_length=2, max_length=200)
    country = Country()
    website = _website()
    exhibitor = fields.Boolean()
    booth = Text(max_length=32)
    contact_name = PersonName(max_length=200)
    contact_email = _EmailOrBlank()
    quota = _quota()


class FillOut(Schema):
    quota = fields.Integer(allow_none=True)
    taken = fields.Integer(metadata={"description": "Seats held (confirmed members)"})
    confirmed = fields.Integer()
    pending = fields.Integer()
    waitlisted = fields.Integer()


class MemberOut(Schema):
    id = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    email = fields.String()
    status = fields.String()
    category = fields.String()
    created_at = fields.AwareDateTime()


class CompanyOut(Schema):
    """Organizer view of a company, with its invitation code once approved."""

    id = fields.String(attribute="public_id")
    name = fields.String()
    country = fields.String()
    website = fields.String()
    exhibitor = fields.Boolean()
    booth = fields.String()
    status = fields.Function(lambda c: c.status.value)
    quota = fields.Integer(allow_none=True)
    taken = fields.Integer()
    contact_name = fields.String()
    contact_email = fields.String()
    invitation_code = fields.Function(
        lambda c: c.invitation_code if c.status.value == "approved" else None)
    fill = fields.Nested(FillOut)


class CompanyDetail(CompanyOut):
    members = fields.List(fields.Nested(MemberOut))


class CompanyQuery(Schema):
    status = fields.String(load_default=None,
                           validate=validate.OneOf(["pending", "approved", "rejected"]))


# --- delegations -------------------------------------------------------------------------

class DelegationIn(Schema):
    country = Country(required=True, metadata={"description": "ISO 3166-1 alpha-2"})
    name = Text(required=True, min_length=2, max_length=200)
    head_name = PersonName(load_default="", max_length=200)
    head_email = _EmailOrBlank(load_default="")
    quota = _quota(load_default=None)


class DelegationPatch(Schema):
    """Any of a delegation's fields; those left out stay as they are."""

    country = Country()
    name = Text(min_length=2, max_length=200)
    head_name = PersonName(max_length=200)
    head_email = _EmailOrBlank()
    quota = _quota()


class DelegationOut(Schema):
    id = fields.String(attribute="public_id")
    country = fields.String()
    name = fields.String()
    head_name = fields.String()
    head_email = fields.String()
    quota = fields.Integer(allow_none=True)
    taken = fields.Integer()
    invitation_code = fields.String()
    fill = fields.Nested(FillOut)


class DelegationDetail(DelegationOut):
    members = fields.List(fields.Nested(MemberOut))
