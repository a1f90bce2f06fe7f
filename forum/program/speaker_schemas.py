"""Shapes of speaker photos and of the speaker's own profile (their private link)."""

from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from forum.program.schemas import SpeakerOut, SpeakerPatch


class PhotoFile(Schema):
    photo = Upload(required=True, metadata={
        "description": "A JPEG, PNG or WebP image (checked by its content), re-encoded"})


class PhotoOut(Schema):
    key = fields.String(metadata={"description": "Changes with every new photo"})
    width = fields.Integer()
    height = fields.Integer()


class SpeakerLinkOut(Schema):
    token = fields.String(metadata={"description": "Shown once; only its SHA-256 is kept"})
    url = fields.String(metadata={"description": "The page the speaker opens (token after #)"})


class OwnProfilePatch(SpeakerPatch):
    """What a speaker may change on their own: not the registration they are linked to."""

    class Meta:
        exclude = ("participant",)


class EventRef(Schema):
    slug = fields.String()
    name = fields.String()


class OwnProfileOut(SpeakerOut):
    """The speaker's own profile, as their private link shows it."""

    class Meta:
        exclude = ("participant",)

    photo = fields.String(allow_none=True, metadata={
        "description": "The public photo URL (null until both consents are given)"})
    has_photo = fields.Boolean()
    event = fields.Nested(EventRef)
