"""Company and delegation shapes."""

from marshmallow import Schema, ValidationError, fields, validate, validates

from forum.fields import Country, Email, PersonName, Text


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


class CompanyDecisionIn(Schema):
    quota = fields.Integer(load_default=None, validate=validate.Range(min=0))
    booth = Text(load_default=None, max_length=32)


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


class CompanyQuery(Schema):
    status = fields.String(load_default=None,
                           validate=validate.OneOf(["pending", "approved", "rejected"]))


class DelegationOut(Schema):
    id = fields.String(attribute="public_id")
    country = fields.String()
    name = fields.String()
    head_name = fields.String()
    quota = fields.Integer(allow_none=True)
    taken = fields.Integer()
    invitation_code = fields.String()
