"""Request and response shapes of the privacy endpoints."""

from marshmallow import Schema, fields, validate

from forum.registration import service as registration


class EraseIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(1, 500), metadata={
        "description": "Why (the person's request, …); kept in the audit log"})


class ErasedOut(Schema):
    id = fields.String(attribute="public_id")
    status = fields.Function(lambda p: p.status.value)
    erased = fields.Function(registration.is_erased)


class OpenDataQuery(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class OpenDataRow(Schema):
    value = fields.String()
    count = fields.Integer(allow_none=True, metadata={"description": "null: withheld"})


class OpenDataOut(Schema):
    event = fields.String()
    threshold = fields.Integer(metadata={"description": "Counts under it are withheld"})
    total = fields.Integer(allow_none=True)
    tables = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(OpenDataRow)),
                         metadata={"description": "country, category, organization_kind, "
                                                  "registration_day"})
