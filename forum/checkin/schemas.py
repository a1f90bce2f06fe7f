"""Request and response shapes of the check-in API."""

from marshmallow import Schema, fields, post_dump, validate

from forum.checkin.models import Direction, Outcome
from forum.fields import Multilingual, Text

_outcomes = [o.value for o in Outcome]


class ScanIn(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=512),
                         metadata={"description": "The QR text as scanned."})
    gate = fields.String(required=True, validate=validate.Length(min=1, max=32),
                         metadata={"description": "The gate slug the scanner stands at."})
    nonce = fields.String(required=True, validate=validate.Length(min=8, max=64),
                          metadata={"description": "Client-made id of this scan (a UUID); a "
                                                   "retry with the same nonce is not a new scan."})
    scanned_at = fields.AwareDateTime(load_default=None,
                                      metadata={"description": "When it was scanned (offline)."})


class BatchScanIn(ScanIn):
    scanned_at = fields.AwareDateTime(required=True)
    local_status = fields.Enum(Outcome, by_value=True, load_default=None, metadata={
        "description": "What the scanner showed offline; an `ok` later found already "
                       "checked in is flagged as a conflict."})


class BatchIn(Schema):
    scans = fields.List(fields.Nested(BatchScanIn), required=True,
                        validate=validate.Length(min=1, max=500))


class ParticipantDisplay(Schema):
    display_name = fields.String()
    category = fields.String(metadata={"description": "Category slug."})
    category_name = fields.String()
    organization = fields.String()
    country = fields.String()
    photo_url = fields.String(allow_none=True)


class CheckinRef(Schema):
    id = fields.String()
    gate = fields.String()
    zone = fields.String()
    scanned_at = fields.AwareDateTime()
    direction = fields.Enum(Direction, by_value=True)


class FirstCheckin(Schema):
    at = fields.AwareDateTime()
    gate = fields.String()


class ScanOut(Schema):
    status = fields.Enum(Outcome, by_value=True,
                         metadata={"description": "One of: " + ", ".join(_outcomes)})
    participant = fields.Nested(ParticipantDisplay, allow_none=True)
    checkin = fields.Nested(CheckinRef)
    first_checkin = fields.Nested(FirstCheckin, metadata={
        "description": "Only for already_checked_in: when and where the badge was admitted."})

    @post_dump
    def _drop_empty_first(self, data: dict, **_kwargs) -> dict:
        if data.get("first_checkin") is None:
            data.pop("first_checkin", None)
        return data


class BatchResult(ScanOut):
    nonce = fields.String()
    conflict = fields.Boolean()


class BatchOut(Schema):
    results = fields.List(fields.Nested(BatchResult))


class AnnulOut(Schema):
    id = fields.String(attribute="public_id")
    status = fields.Enum(Outcome, by_value=True, attribute="outcome")
    scanned_at = fields.AwareDateTime()
    annulled_at = fields.AwareDateTime()
    annulled_by = fields.String()


class DeviceIn(Schema):
    name = Text(required=True, min_length=1, max_length=100)


class DeviceOut(Schema):
    id = fields.String(attribute="public_id")
    name = fields.String()
    gate = fields.String(attribute="gate.slug")
    created_at = fields.AwareDateTime()
    created_by = fields.String()
    revoked_at = fields.AwareDateTime(allow_none=True)
    last_seen_at = fields.AwareDateTime(allow_none=True)


class GatePatch(Schema):
    names = Multilingual(required=True, needs_text=True, max_length=200)


class GateOut(Schema):
    slug = fields.String()
    name = fields.String(metadata={"description": "The base text of ``names``."})
    names = fields.Dict(keys=fields.String(), values=fields.String(),
                        metadata={"description": "Display name per locale (kk, ru, en); a "
                                                 "missing one falls back to ``name``."})
    direction = fields.Function(lambda g: g.direction.value)
    zone = fields.String(attribute="zone.slug")
    zone_names = fields.Dict(attribute="zone.names")


class DeviceCreated(Schema):
    device = fields.Nested(DeviceOut)
    token = fields.String(metadata={"description": "Shown once; only its hash is stored."})


class BundleRevoked(Schema):
    serial = fields.String()
    revision = fields.Integer()


class BundleParticipant(Schema):
    name = fields.String(metadata={"description": "Display name"})
    category = fields.String(metadata={"description": "Category slug"})


class BundleOut(Schema):
    """The offline bundle of one device: its zone, and only the people that zone admits."""

    event = fields.Dict(metadata={"description": "slug, timezone, tag (24-bit token tag)"})
    expires_at = fields.AwareDateTime(metadata={
        "description": "The end of the event's last day: the scanner refuses the bundle after"})
    device = fields.Dict(metadata={
        "description": "id, name, gate, direction, zone, gate_name, gate_names and "
                       "zone_names (locale → name)"})
    gates = fields.Dict(keys=fields.String(),
                        values=fields.Dict(keys=fields.String(), values=fields.String()),
                        metadata={"description": "gate slug → {locale → display name} for "
                                                 "every gate, in kk, ru and en"})
    keys = fields.Dict(keys=fields.String(), values=fields.String(),
                       metadata={"description": "kid → base64 raw Ed25519 public key"})
    revoked = fields.List(fields.Nested(BundleRevoked), metadata={
        "description": "Every revoked badge revision of the event"})
    zone = fields.Dict(metadata={
        "description": "The device's zone: slug, categories (empty = all), delegation_heads, "
                       "allows_reentry, hours (null = always open, else [{day, opens_at, "
                       "closes_at}]), sessions (a room's door: [{id, opens_at, ends_at, "
                       "booked: [serial]}], else null)"})
    participants = fields.Dict(keys=fields.String(), values=fields.Nested(BundleParticipant),
                               metadata={"description": "serial → the person, for the people "
                                                        "the zone admits whose badge stands"})


class ConflictFirst(FirstCheckin):
    device = fields.String()


class ConflictOut(Schema):
    id = fields.String()
    serial = fields.String()
    gate = fields.String()
    device = fields.String()
    scanned_at = fields.AwareDateTime()
    received_at = fields.AwareDateTime()
    participant = fields.Nested(ParticipantDisplay, allow_none=True)
    first_checkin = fields.Nested(ConflictFirst, allow_none=True)
    annulled_at = fields.AwareDateTime(allow_none=True)


class StatsQuery(Schema):
    day = fields.Date(load_default=None, metadata={"description": "Event-local day; today."})


class AdmissionBucket(Schema):
    start = fields.DateTime(metadata={"description": "Start of the 15 minutes, event time."})
    count = fields.Integer()
    by_zone = fields.Dict(keys=fields.String(), values=fields.Integer())


class StatsOut(Schema):
    day = fields.Date()
    timezone = fields.String()
    inside = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "People inside each zone now."})
    admissions = fields.List(fields.Nested(AdmissionBucket))
    rejections = fields.Dict(keys=fields.String(), values=fields.Integer())


class RoomZoneOut(Schema):
    room = fields.String()
    zone = fields.String()
    gate = fields.Nested(GateOut, metadata={"description": "The door to issue scanners at"})


class AttendanceOut(Schema):
    session = fields.String()
    room = fields.String()
    zone = fields.String(allow_none=True, metadata={"description": "null: no door scans"})
    seats = fields.Integer()
    booked = fields.Integer()
    waitlisted = fields.Integer()
    attended = fields.Integer(metadata={
        "description": "Distinct badges admitted at the room's doors in the session's window"})
