"""Shapes of a participant's own program: bookmarks, the calendar URL, workshop bookings."""

from marshmallow import Schema, fields, validate


class AgendaIn(Schema):
    sessions = fields.List(fields.String(validate=validate.Length(min=1, max=24)),
                           required=True, metadata={"description": "Session ids, in order"})


class AgendaOut(Schema):
    sessions = fields.List(fields.String())
    calendar_url = fields.String(metadata={
        "description": "The secret personal iCalendar feed (its own read-only token)"})


class CalendarOut(Schema):
    calendar_url = fields.String()


class BookingIn(Schema):
    session = fields.String(required=True, validate=validate.Length(min=1, max=24))


class BookingWarning(Schema):
    code = fields.String(metadata={"enum": ["overlaps"]})
    session = fields.String()
    status = fields.String(metadata={"enum": ["booked", "waitlisted"]})


class BookingItem(Schema):
    session = fields.String()
    status = fields.String(metadata={"enum": ["booked", "waitlisted"]})
    created_at = fields.DateTime()


class BookingOut(BookingItem):
    # Text, not DateTime: a replayed answer (Idempotency-Key) comes back as stored JSON.
    created_at = fields.String(metadata={"format": "date-time"})
    warnings = fields.List(fields.Nested(BookingWarning), metadata={
        "description": "Clashes with my other bookings (code overlaps, the session named)"})


class BookingsOut(Schema):
    bookings = fields.List(fields.Nested(BookingItem))


class CancelBookingOut(Schema):
    session = fields.String()
    status = fields.String(metadata={"enum": ["cancelled"]})
