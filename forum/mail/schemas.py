"""Outbox and recovery schemas."""

from marshmallow import Schema, fields, validate

from forum.fields import Email
from forum.mail.models import MessageStatus
from forum.registration.models import Locale


class RecoverIn(Schema):
    email = Email(required=True)
    locale = fields.String(load_default="en", validate=validate.OneOf([x.value for x in Locale]))


class RecoverOut(Schema):
    detail = fields.String()


class EmailProofIn(Schema):
    proof = fields.String(required=True, validate=validate.Length(min=1, max=64))


class EmailProofOut(Schema):
    email_verified_at = fields.AwareDateTime()


class OutboxQuery(Schema):
    status = fields.Enum(MessageStatus, by_value=True, load_default=None)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


def _shown(text: str) -> str:
    """A stored body as organizers see it: the manage link is never shown."""
    from forum.mail.messages import LINK_MARK

    return text.replace(LINK_MARK, "[manage link]")


class MessageOut(Schema):
    id = fields.String(attribute="public_id")
    kind = fields.String()
    status = fields.Enum(MessageStatus, by_value=True)
    to = fields.String(attribute="to_address")
    locale = fields.String()
    subject = fields.String()
    body_text = fields.Function(lambda m: _shown(m.body_text))
    with_badge = fields.Boolean()
    attempts = fields.Integer()
    next_attempt_at = fields.AwareDateTime()
    last_error = fields.String()
    created_at = fields.AwareDateTime()
    sent_at = fields.AwareDateTime(allow_none=True)
    purged_at = fields.AwareDateTime(allow_none=True)


class OutboxPage(Schema):
    items = fields.List(fields.Nested(MessageOut))
    total = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "Messages per status"})
    page = fields.Integer()
    per_page = fields.Integer()
