"""Sign-in and account shapes."""

from marshmallow import Schema, fields, validate


class LoginIn(Schema):
    email = fields.String(required=True, validate=validate.Length(1, 254))
    password = fields.String(required=True, validate=validate.Length(1, 500),
                             load_only=True)


class PasswordChangeIn(Schema):
    current_password = fields.String(required=True, validate=validate.Length(1, 500))
    new_password = fields.String(required=True, validate=validate.Length(10, 500))


class GrantOut(Schema):
    role = fields.Function(lambda g: g.role.value)
    event_id = fields.Integer(allow_none=True)
    delegation_id = fields.Integer(allow_none=True)
    company_id = fields.Integer(allow_none=True)


class AccountOut(Schema):
    id = fields.String(attribute="public_id")
    email = fields.String()
    name = fields.String()
    roles = fields.Function(lambda a: sorted({g.role.value for g in a.grants}))
    grants = fields.List(fields.Nested(GrantOut))


class TokenOut(Schema):
    token = fields.String(metadata={"description": "Send as 'Authorization: Bearer <token>'."})
    expires_at = fields.AwareDateTime()
    account = fields.Nested(AccountOut)


class SessionOut(Schema):
    expires_at = fields.AwareDateTime()
    account = fields.Nested(AccountOut)
    csrf_token = fields.String(metadata={"description": "Send as X-CSRF-Token on writes."})


class MeOut(Schema):
    account = fields.Nested(AccountOut)
    csrf_token = fields.String(allow_none=True)
