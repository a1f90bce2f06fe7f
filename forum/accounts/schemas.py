"""Sign-in and account shapes."""

from marshmallow import Schema, fields, validate


class LoginIn(Schema):
    email = fields.String(required=True, validate=validate.Length(1, 254))
    password = fields.String(required=True, validate=validate.Length(1, 500),
                             load_only=True)
    totp = fields.String(load_default=None, validate=validate.Regexp(r"^[0-9]{6}$"),
                         metadata={"description": "The authenticator's 6-digit code, when "
                                                  "two-factor sign-in is on"})


class TotpSetupOut(Schema):
    secret = fields.String(metadata={"description": "Base32, for typing into the app"})
    otpauth_uri = fields.String(metadata={"description": "For a QR code the app scans"})


class TotpCodeIn(Schema):
    code = fields.String(required=True, validate=validate.Regexp(r"^[0-9]{6}$"))


class TotpOffIn(Schema):
    password = fields.String(required=True, validate=validate.Length(1, 500))


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
    totp_enabled = fields.Function(lambda a: a.totp_enabled_at is not None)
    totp_required = fields.Boolean()
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


class ReachOut(Schema):
    """One event an account may act on: its permissions there and, for a scoped role, the
    delegations and companies (public ids) it covers."""

    slug = fields.String()
    name = fields.String()
    timezone = fields.String()
    permissions = fields.List(fields.String())
    delegations = fields.List(fields.String(), allow_none=True)
    companies = fields.List(fields.String(), allow_none=True)


class MeOut(Schema):
    account = fields.Nested(AccountOut)
    totp_required = fields.Boolean(metadata={"description": (
        "Personal data needs two-factor sign-in of this account: required of it by an admin "
        "(account.totp_required) or, with FORUM_TOTP_REQUIRED, of a role it holds that "
        "sees personal data")})
    events = fields.List(fields.Nested(ReachOut))
    csrf_token = fields.String(allow_none=True)


class GrantIn(Schema):
    role = fields.String(required=True, validate=validate.Length(1, 32))
    event = fields.String(load_default=None, metadata={"description": "Event slug"})
    delegation = fields.String(load_default=None, metadata={"description": "Delegation id"})
    company = fields.String(load_default=None, metadata={"description": "Company id"})


class GrantView(Schema):
    """A grant as clients name things: role, event slug, delegation and company ids."""

    role = fields.Function(lambda g: g.role.value)
    event = fields.Function(lambda g: g.event.slug if g.event else None)
    delegation = fields.Function(lambda g: g.delegation.public_id if g.delegation else None)
    company = fields.Function(lambda g: g.company.public_id if g.company else None)


class AccountIn(Schema):
    email = fields.Email(required=True, validate=validate.Length(3, 254))
    name = fields.String(required=True, validate=validate.Length(1, 200))
    password = fields.String(load_default=None, validate=validate.Length(10, 500),
                             metadata={"description": "Leave out to send an invitation link"})
    grants = fields.List(fields.Nested(GrantIn), required=True,
                         validate=validate.Length(1, 50))


class AccountPatch(Schema):
    totp_required = fields.Boolean(metadata={"description": "Require two-factor sign-in"})
    totp_reset = fields.Boolean(metadata={"description": "Turn off a lost authenticator"})
    email = fields.Email(validate=validate.Length(3, 254))
    name = fields.String(validate=validate.Length(1, 200))
    password = fields.String(validate=validate.Length(10, 500))
    is_active = fields.Boolean()
    grants = fields.List(fields.Nested(GrantIn), validate=validate.Length(1, 50))


class AccountView(Schema):
    id = fields.String(attribute="public_id")
    email = fields.String()
    name = fields.String()
    is_active = fields.Boolean()
    grants = fields.List(fields.Nested(GrantView))
    invited = fields.Function(lambda a: a.invitation_hash is not None)
    totp_enabled = fields.Function(lambda a: a.totp_enabled_at is not None)
    totp_required = fields.Boolean()
    locked_until = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()


class AccountCreated(AccountView):
    invitation_url = fields.String(allow_none=True,
                                   metadata={"description": "Shown once: send it to the person"})


class InvitationAcceptIn(Schema):
    token = fields.String(required=True, validate=validate.Length(20, 100))
    password = fields.String(required=True, validate=validate.Length(10, 500))
