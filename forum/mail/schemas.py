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
    # email_proof's 32 hex digits; anything else cannot match and is refused as a shape
    proof = fields.String(required=True, validate=validate.Regexp(
        r"^[0-9a-f]{32}$", error="Not a proof from the forum's message."))


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


class LanguageTexts(Schema):
    kk = fields.String(load_default="", validate=validate.Length(max=20_000))
    ru = fields.String(load_default="", validate=validate.Length(max=20_000))
    en = fields.String(load_default="", validate=validate.Length(max=20_000))


class AudienceIn(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(
        ["pending", "confirmed", "waitlisted", "rejected", "cancelled"]))
    category = fields.String(load_default=None, validate=validate.Length(max=32))
    delegation = fields.String(load_default=None, validate=validate.Length(max=24))
    company = fields.String(load_default=None, validate=validate.Length(max=24))
    country = fields.String(load_default=None, validate=validate.Regexp(r"^[A-Za-z]{2}$"))


class MailingIn(Schema):
    subject = fields.Nested(LanguageTexts, required=True)
    body = fields.Nested(LanguageTexts, required=True)
    audience = fields.Nested(AudienceIn, load_default=lambda: {})


class PreviewIn(MailingIn):
    locale = fields.String(load_default=None, validate=validate.OneOf([x.value for x in Locale]),
                           metadata={"description": "Render the sample in this language"})


class SampleOut(Schema):
    participant_id = fields.Function(lambda s: s.participant.public_id)
    name = fields.Function(lambda s: s.participant.display_name)
    email = fields.Function(lambda s: s.participant.email)
    locale = fields.String()
    subject = fields.String()
    body_text = fields.String(attribute="text")
    body_html = fields.String(attribute="html")


class PreviewOut(Schema):
    audience_size = fields.Integer()
    sample = fields.Nested(SampleOut, allow_none=True)


class MailingOut(Schema):
    id = fields.Function(lambda e: e.mailing.public_id)
    created_at = fields.Function(lambda e: e.mailing.created_at.isoformat())
    sent_by = fields.Function(lambda e: e.mailing.sent_by_email or e.mailing.sent_by)
    subject = fields.Function(lambda e: e.mailing.subject)
    audience = fields.Function(lambda e: e.mailing.audience)
    recipients = fields.Function(lambda e: e.mailing.recipients)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "queued (pending), sent, failed: live"})


class MailingPage(Schema):
    items = fields.List(fields.Nested(MailingOut))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class MailingQuery(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
