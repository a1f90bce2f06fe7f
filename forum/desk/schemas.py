"""Shapes of the participant desk: detail with history, corrections, bulk actions."""

from marshmallow import Schema, fields, validate

from forum.fields import Country, Email, PersonName, Phone, Text
from forum.registration.schemas import LOCALES, ParticipantOut

Reason = Text(required=True, min_length=3, max_length=500,
              metadata={"description": "Why (kept in the audit log)"})


class HistoryItem(Schema):
    at = fields.AwareDateTime()
    kind = fields.String(metadata={"enum": ["change", "scan"]})
    action = fields.String()
    actor = fields.String()
    data = fields.Dict()


class BadgeState(Schema):
    serial = fields.String()
    revision = fields.Integer()
    issued_at = fields.AwareDateTime()
    printed_at = fields.AwareDateTime(allow_none=True)
    revoked_at = fields.AwareDateTime(allow_none=True)


class ParticipantDetail(ParticipantOut):
    updated_at = fields.AwareDateTime()
    consent_at = fields.AwareDateTime()
    delegation_id = fields.Function(lambda p: p.delegation.public_id if p.delegation else None)
    company_id = fields.Function(lambda p: p.company.public_id if p.company else None)
    badge = fields.Nested(BadgeState, allow_none=True)
    history = fields.List(fields.Nested(HistoryItem))


class ParticipantEdit(Schema):
    first_name = PersonName(min_length=1)
    last_name = PersonName(min_length=1)
    first_name_cyrillic = PersonName()
    last_name_cyrillic = PersonName()
    email = Email()
    country = Country()
    organization = Text(max_length=200)
    job_title = Text(max_length=200)
    phone = Phone()
    locale = fields.String(validate=validate.OneOf(LOCALES))
    reason = Reason


class CategoryChangeIn(Schema):
    category = fields.String(required=True, validate=validate.Length(1, 32))
    reason = Reason


class BulkIn(Schema):
    ids = fields.List(fields.String(validate=validate.Length(1, 32)), required=True,
                      validate=validate.Length(1, 500))
    action = fields.String(required=True, validate=validate.OneOf(
        ["approve", "reject", "cancel", "change_category"]))
    category = fields.String(load_default=None, validate=validate.Length(1, 32))
    reason = Text(load_default="", max_length=500)


class BulkOut(Schema):
    done = fields.Integer()
    items = fields.List(fields.Nested(ParticipantOut))
