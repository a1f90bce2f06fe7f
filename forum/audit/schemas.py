"""Request and response shapes of the audit log."""

from marshmallow import Schema, fields, validate

_TEXT = validate.Length(1, 100)


class AuditQuery(Schema):
    person = fields.String(load_default=None, validate=_TEXT, metadata={
        "description": "A participant id, or text found in the subject's id or in a "
                       "participant's name or email"})
    actor = fields.String(load_default=None, validate=_TEXT, metadata={
        "description": "A fragment of the actor, e.g. account:abc, participant:…, system"})
    action = fields.String(load_default=None, validate=validate.Length(1, 80), metadata={
        "description": "An action prefix, e.g. participant. or registration.cancel"})
    since = fields.AwareDateTime(load_default=None, metadata={
        "description": "ISO time with an offset; entries at or after it"})
    until = fields.AwareDateTime(load_default=None, metadata={
        "description": "ISO time with an offset; entries before it"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class GlobalAuditQuery(AuditQuery):
    without_event = fields.Boolean(load_default=False, metadata={
        "description": "Only entries of no event (sign-ins, staff accounts)"})


class SubjectOut(Schema):
    type = fields.String()
    id = fields.String()


class AuditEntryOut(Schema):
    at = fields.AwareDateTime()
    actor = fields.String()
    action = fields.String()
    subject = fields.Nested(SubjectOut)
    data = fields.Dict(metadata={"description": "What changed: before/after where recorded"})
    event = fields.String(allow_none=True, metadata={"description": "The event's slug"})


class AuditPage(Schema):
    items = fields.List(fields.Nested(AuditEntryOut))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
