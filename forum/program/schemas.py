"""Shapes of the program API: organizer input and output, and the public reads."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from forum.fields import Country, Multilingual, Paragraphs, Text
from forum.i18n import LANGUAGES
from forum.program.conflicts import local_iso
from forum.program.models import Language, SessionKind, SessionStatus, SpeakerRole

KINDS = [k.value for k in SessionKind]
STATUSES = [s.value for s in SessionStatus]
ROLES = [r.value for r in SpeakerRole]
SPOKEN = [lang.value for lang in Language]
_SLUG = validate.And(validate.Length(min=1, max=64),
                     validate.Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                                     error="Use lower-case letters, digits and dashes."))


class _CountryOrBlank(Country):
    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if isinstance(value, str) and not value.strip():
            return ""
        return super()._deserialize(value, attr, data, **kwargs)


# --- rooms and tracks ----------------------------------------------------------------------

def _later_than_opening(data: dict) -> None:
    opens, closes = data.get("opens_at"), data.get("closes_at")
    if opens and closes and closes.hour + closes.minute and closes <= opens:
        raise ValidationError({"closes_at": ["Must be later than opens_at."]})


class RoomPatch(Schema):
    slug = fields.String(validate=_SLUG)
    name = Multilingual(needs_text=True)
    capacity = fields.Integer(validate=validate.Range(min=1, max=100_000))
    location = Text(max_length=200)
    interpretation = fields.Boolean(metadata={"description": "Simultaneous interpretation"})
    opens_at = fields.Time(allow_none=True, metadata={"description": "Local time; daily"})
    closes_at = fields.Time(allow_none=True, metadata={"description": "Local time; 00:00 is "
                                                                      "midnight"})
    position = fields.Integer(validate=validate.Range(min=0, max=10_000))

    @validates_schema
    def _hours(self, data: dict, **_kwargs) -> None:
        _later_than_opening(data)


class RoomIn(RoomPatch):
    slug = fields.String(required=True, validate=_SLUG)
    name = Multilingual(required=True, needs_text=True)
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000))
    location = Text(max_length=200, load_default="")
    interpretation = fields.Boolean(load_default=False)
    opens_at = fields.Time(allow_none=True, load_default=None)
    closes_at = fields.Time(allow_none=True, load_default=None)
    position = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000))


class RoomOut(Schema):
    slug = fields.String()
    name = fields.Dict(keys=fields.String(), values=fields.String())
    capacity = fields.Integer()
    location = fields.String()
    interpretation = fields.Boolean()
    opens_at = fields.Time(allow_none=True)
    closes_at = fields.Time(allow_none=True)
    position = fields.Integer()


_COLOUR = validate.Regexp(r"^#[0-9a-fA-F]{6}$", error="Use #rrggbb.")


class TrackPatch(Schema):
    slug = fields.String(validate=_SLUG)
    name = Multilingual(needs_text=True)
    colour = fields.String(validate=_COLOUR)
    position = fields.Integer(validate=validate.Range(min=0, max=10_000))


class TrackIn(TrackPatch):
    slug = fields.String(required=True, validate=_SLUG)
    name = Multilingual(required=True, needs_text=True)
    colour = fields.String(required=True, validate=_COLOUR)
    position = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000))


class TrackOut(Schema):
    slug = fields.String()
    name = fields.Dict(keys=fields.String(), values=fields.String())
    colour = fields.String()
    position = fields.Integer()


# --- sessions ------------------------------------------------------------------------------

class SessionSpeakerIn(Schema):
    speaker = fields.String(required=True, metadata={"description": "The speaker's id"})
    role = fields.String(load_default="speaker", validate=validate.OneOf(ROLES))


class ProgramSessionPatch(Schema):
    title = Multilingual(needs_text=True)
    description = Multilingual(long=True)
    kind = fields.String(validate=validate.OneOf(KINDS))
    starts_at = fields.AwareDateTime(metadata={"description": "ISO 8601 with offset"})
    ends_at = fields.AwareDateTime(metadata={"description": "ISO 8601 with offset"})
    room = fields.String(metadata={"description": "The room's slug"})
    track = fields.String(allow_none=True, metadata={"description": "The track's slug"})
    language = fields.String(validate=validate.OneOf(SPOKEN))
    capacity = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=100_000),
                              metadata={"description": "Seats; null: the room's capacity"})
    bookable = fields.Boolean(metadata={"description": "Seats are booked, not just attended"})
    status = fields.String(validate=validate.OneOf(STATUSES))
    speakers = fields.List(fields.Nested(SessionSpeakerIn), validate=validate.Length(max=30))

    @validates_schema
    def _times(self, data: dict, **_kwargs) -> None:
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            raise ValidationError({"ends_at": ["Must be later than starts_at."]})


class ProgramSessionIn(ProgramSessionPatch):
    title = Multilingual(required=True, needs_text=True)
    description = Multilingual(long=True, load_default=dict)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    room = fields.String(required=True)
    track = fields.String(allow_none=True, load_default=None)
    language = fields.String(required=True, validate=validate.OneOf(SPOKEN))
    capacity = fields.Integer(allow_none=True, load_default=None,
                              validate=validate.Range(min=1, max=100_000))
    bookable = fields.Boolean(load_default=False)
    status = fields.String(load_default="draft", validate=validate.OneOf(STATUSES),
                           metadata={"description": "draft (default): not in the next "
                                                    "published version; published: in it"})
    speakers = fields.List(fields.Nested(SessionSpeakerIn), load_default=list,
                           validate=validate.Length(max=30))


class SessionSpeakerOut(Schema):
    speaker = fields.Function(lambda link: link.speaker.public_id)
    name = fields.Function(lambda link: link.speaker.name)
    role = fields.Function(lambda link: link.role.value)


class ProgramSessionOut(Schema):
    """A session as organizers see it (times in the event's time zone)."""

    id = fields.String(attribute="public_id")
    title = fields.Dict(keys=fields.String(), values=fields.String())
    description = fields.Dict(keys=fields.String(), values=fields.String())
    kind = fields.Function(lambda s: s.kind.value)
    starts_at = fields.Function(lambda s: local_iso(s.starts_at, s.event))
    ends_at = fields.Function(lambda s: local_iso(s.ends_at, s.event))
    room = fields.Function(lambda s: s.room.slug)
    track = fields.Function(lambda s: s.track.slug if s.track else None)
    language = fields.Function(lambda s: s.language.value)
    capacity = fields.Integer(allow_none=True, metadata={"description": "null: the room's"})
    seats = fields.Integer(metadata={"description": "The capacity in force"})
    bookable = fields.Boolean()
    status = fields.Function(lambda s: s.status.value)
    speakers = fields.List(fields.Nested(SessionSpeakerOut))


class ProgramSessionQuery(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


# --- speakers ------------------------------------------------------------------------------

class LinkIn(Schema):
    label = Text(load_default="", max_length=60)
    url = fields.Url(required=True, schemes={"http", "https"}, validate=validate.Length(max=300))


class ConsentPatch(Schema):
    profile = fields.Boolean(metadata={"description": "Name, title, organization, country"})
    bio = fields.Boolean()
    photo = fields.Boolean()
    links = fields.Boolean()


class ConsentIn(ConsentPatch):
    profile = fields.Boolean(load_default=False)
    bio = fields.Boolean(load_default=False)
    photo = fields.Boolean(load_default=False)
    links = fields.Boolean(load_default=False)


class SpeakerPatch(Schema):
    name = Text(min_length=1, max_length=200)
    title = Text(max_length=200)
    organization = Text(max_length=200)
    country = _CountryOrBlank()
    bio = Multilingual(long=True)
    links = fields.List(fields.Nested(LinkIn), validate=validate.Length(max=10))
    consent = fields.Nested(ConsentPatch, metadata={"description": "What may be published"})
    participant = fields.String(allow_none=True,
                                metadata={"description": "The id of the speaker's "
                                                         "registration (speaker category)"})


class SpeakerIn(SpeakerPatch):
    name = Text(required=True, min_length=1, max_length=200)
    title = Text(max_length=200, load_default="")
    organization = Text(max_length=200, load_default="")
    country = _CountryOrBlank(load_default="")
    bio = Multilingual(long=True, load_default=dict)
    links = fields.List(fields.Nested(LinkIn), load_default=list,
                        validate=validate.Length(max=10))
    consent = fields.Nested(ConsentIn, load_default=lambda: ConsentIn().load({}))
    participant = fields.String(allow_none=True, load_default=None)


class SpeakerOut(Schema):
    """A speaker as organizers see it, consents and registration included."""

    id = fields.String(attribute="public_id")
    name = fields.String()
    title = fields.String()
    organization = fields.String()
    country = fields.String()
    bio = fields.Dict(keys=fields.String(), values=fields.String())
    links = fields.List(fields.Dict())
    consent = fields.Function(lambda s: {"profile": s.consent_profile, "bio": s.consent_bio,
                                         "photo": s.consent_photo, "links": s.consent_links})
    participant = fields.Function(lambda s: s.participant.public_id if s.participant else None)
    photo = fields.String(allow_none=True, metadata={"description": "The photo's key, if any"})


# --- versions and warnings -----------------------------------------------------------------

class PublishIn(Schema):
    name = Text(required=True, min_length=1, max_length=100)
    note = Paragraphs(load_default="", max_length=2000)


class VersionOut(Schema):
    name = fields.String()
    number = fields.Integer()
    note = fields.String()
    published_at = fields.Function(lambda v: local_iso(v.published_at, v.event))
    published_by = fields.String()
    sessions = fields.Function(lambda v: len(v.snapshot["sessions"]),
                               metadata={"description": "How many sessions it shows"})
    changelog = fields.Dict(metadata={"description": "added, cancelled, moved, room_changed"})


class WarningOut(Schema):
    code = fields.String(metadata={"description": "A conflict code, or no_speakers"})
    detail = fields.String()
    session = fields.Dict()
    conflicting_session = fields.Dict()
    speakers = fields.List(fields.String())
    room = fields.Dict()
    event_days = fields.List(fields.String())
    room_hours = fields.List(fields.String())


# --- public reads ------------------------------------------------------------------------

class LangQuery(Schema):
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGUAGES),
                         metadata={"description": "kk, ru or en; else Accept-Language"})


class CalendarQuery(LangQuery):
    track = fields.String(load_default=None, metadata={"description": "A track's slug"})
    room = fields.String(load_default=None, metadata={"description": "A room's slug"})
    speaker = fields.String(load_default=None, metadata={"description": "A speaker's id"})


class ProgramQuery(LangQuery):
    day = fields.Date(load_default=None, metadata={"description": "A day of the event"})
    track = fields.String(load_default=None)
    room = fields.String(load_default=None)
    language = fields.String(load_default=None, validate=validate.OneOf(SPOKEN),
                             metadata={"description": "The language of the talk"})
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    speaker = fields.String(load_default=None, metadata={"description": "A speaker's id"})
    q = Text(load_default=None, max_length=100, metadata={"description": "Text search"})


class VersionHeadOut(Schema):
    name = fields.String()
    note = fields.String()
    published_at = fields.String()


class PublicRoomOut(Schema):
    slug = fields.String()
    name = fields.String()
    location = fields.String()
    interpretation = fields.Boolean()


class PublicTrackOut(Schema):
    slug = fields.String()
    name = fields.String()
    colour = fields.String()


class PublicSpeakerRef(Schema):
    id = fields.String()
    name = fields.String()
    role = fields.String(metadata={"enum": ROLES})


class PublicSessionOut(Schema):
    id = fields.String()
    title = fields.String()
    kind = fields.String(metadata={"enum": KINDS})
    starts_at = fields.String(metadata={"description": "ISO 8601, the event's offset"})
    ends_at = fields.String()
    room = fields.Nested(PublicRoomOut)
    track = fields.Nested(PublicTrackOut, allow_none=True)
    language = fields.String(metadata={"enum": SPOKEN})
    capacity = fields.Integer()
    bookable = fields.Boolean()
    seats_left = fields.Integer(metadata={
        "description": "Bookable sessions only: seats not yet booked (0: new bookings wait)"})
    status = fields.String(metadata={"enum": ["published", "cancelled"]})
    speakers = fields.List(fields.Nested(PublicSpeakerRef))


class ProgramOut(Schema):
    version = fields.Nested(VersionHeadOut, allow_none=True,
                            metadata={"description": "null until a version is published"})
    sessions = fields.List(fields.Nested(PublicSessionOut))


class PublicSessionDetail(PublicSessionOut):
    version = fields.Nested(VersionHeadOut)
    description = fields.String()


class SpeakerSessionRef(Schema):
    id = fields.String()
    title = fields.String()
    starts_at = fields.String()
    role = fields.String()


class PublicSpeakerOut(Schema):
    """Only what the speaker agreed to publish."""

    id = fields.String()
    name = fields.String()
    title = fields.String()
    organization = fields.String()
    country = fields.String(allow_none=True)
    bio = fields.String(allow_none=True)
    photo = fields.String(allow_none=True)
    links = fields.List(fields.Dict())
    sessions = fields.List(fields.Nested(SpeakerSessionRef))
