"""Badge request and response schemas."""

from marshmallow import Schema, fields, validate

from forum.badges.render import Layout


class BadgeOut(Schema):
    serial = fields.String(metadata={"description": "Opaque badge number (also in the QR)"})
    revision = fields.Integer(metadata={"description": "Bumped by every reissue"})
    category = fields.String(attribute="category_slug")
    issued_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)
    printed_at = fields.DateTime(allow_none=True)


class ReissueIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200),
                           metadata={"description": "Lost, name corrected, category changed…"})


class LayoutQuery(Schema):
    layout = fields.String(load_default=Layout.A6, validate=validate.OneOf(Layout.ALL),
                           metadata={"description": "a6: one badge per page; a4: four per page"})


class BulkQuery(LayoutQuery):
    delegation = fields.String(metadata={"description": "Invitation code or country code"})
    company = fields.String(metadata={"description": "Company name or id"})
    category = fields.String(metadata={"description": "Category slug"})
    unprinted = fields.Boolean(load_default=False,
                               metadata={"description": "Only badges not printed yet"})
    mark_printed = fields.Boolean(load_default=False,
                                  metadata={"description": "Record these badges as printed"})


def binary(content_type: str, description: str) -> dict:
    """An OpenAPI response of a file (the body is not JSON)."""
    return {"description": description,
            "content": {content_type: {"schema": {"type": "string", "format": "binary"}}}}
