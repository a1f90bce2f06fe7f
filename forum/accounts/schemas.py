"""Login shapes."""

from marshmallow import Schema, fields, validate


class LoginIn(Schema):
    email = fields.String(required=True, validate=validate.Length(1, 254))
    password = fields.String(required=True, validate=validate.Length(1, 500),
                             load_only=True)


class GrantOut(Schema):
    role = fields.Function(lambda g: g.role.value)
    event_id = fields.Integer(allow_none=True)


class AccountOut(Schema):
    id = fields.String(attribute="public_id")
    email = fields.String()
    name = fields.String()
    roles = fields.Function(lambda a: sorted({g.role.value for g in a.grants}))


class TokenOut(Schema):
    token = fields.String(metadata={"description": "Send as 'Authorization: Bearer <token>'."})
    expires_at = fields.AwareDateTime()
    account = fields.Nested(AccountOut)
