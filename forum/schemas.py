"""Schemas shared by every domain's API."""

from marshmallow import Schema, fields


class ProblemSchema(Schema):
    """RFC 9457 problem details, with a stable machine ``code``."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    code = fields.String(metadata={"description": "Stable machine code; branch on this."})
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "Messages per field (validation only)."})
