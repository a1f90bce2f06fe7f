"""Webhook schemas: the secret appears only in the answers that make one."""

from marshmallow import Schema, fields, validate

from forum.mail.models import MessageStatus
from forum.webhooks.models import EVENT_TYPES


class WebhookIn(Schema):
    url = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    events = fields.List(fields.String(validate=validate.OneOf(EVENT_TYPES)), required=True,
                         validate=validate.Length(min=1, max=len(EVENT_TYPES)))


class WebhookChange(Schema):
    url = fields.String(validate=validate.Length(min=1, max=2000))
    events = fields.List(fields.String(validate=validate.OneOf(EVENT_TYPES)),
                         validate=validate.Length(min=1, max=len(EVENT_TYPES)))
    active = fields.Boolean()


class DeliveryOut(Schema):
    id = fields.String(attribute="public_id")
    type = fields.String(attribute="subject")
    status = fields.Enum(MessageStatus, by_value=True)
    attempts = fields.Integer()
    next_attempt_at = fields.AwareDateTime()
    last_error = fields.String()
    created_at = fields.AwareDateTime()
    sent_at = fields.AwareDateTime(allow_none=True)


class WebhookOut(Schema):
    id = fields.String(attribute="public_id")
    url = fields.String()
    events = fields.List(fields.String())
    active = fields.Boolean()
    status = fields.String(metadata={"description": "active, or disabled (after a 410)"})
    disabled_reason = fields.String()
    last_status = fields.Integer(allow_none=True)
    last_error = fields.String()
    last_attempt_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class WebhookDetail(WebhookOut):
    deliveries = fields.List(fields.Nested(DeliveryOut))


class WebhookCreated(WebhookOut):
    secret = fields.String(metadata={"description": "The signing secret, shown only now"})


class SecretOut(Schema):
    secret = fields.String(metadata={"description": "The new signing secret, shown only now"})
