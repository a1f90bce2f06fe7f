"""Public views of an event."""

from marshmallow import Schema, fields

from forum.fields import Multilingual


class CategoryOut(Schema):
    slug = fields.String()
    names = fields.Dict(keys=fields.String(), values=fields.String(),
                        metadata={"description": "Display name per locale (kk, ru, en)."})
    admission = fields.Function(lambda c: c.admission.value,
                                metadata={"enum": ["open", "delegation", "company", "organizer"]})
    needs_approval = fields.Boolean()
    badge_colour = fields.String()
    available = fields.Function(lambda c: c.remaining is None or c.remaining > 0,
                                metadata={"description": "False when new registrations "
                                                         "are waitlisted."})


class EventOut(Schema):
    slug = fields.String()
    name = fields.String()
    venue = fields.String(metadata={"description": "The base text of ``venue_names``."})
    city = fields.String(metadata={"description": "The base text of ``city_names``."})
    venue_names = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "The venue per locale (kk, ru, en); a missing one falls back to "
                       "``venue``."})
    city_names = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "The city per locale; a missing one falls back to ``city``."})
    place = fields.Dict(
        keys=fields.String(), values=fields.String(),
        metadata={"description": "\"Venue, city\" in kk, ru and en, the fallbacks applied: "
                                 "what the pages show."})
    country = fields.String()
    timezone = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    registration_opens_at = fields.AwareDateTime(allow_none=True)
    registration_closes_at = fields.AwareDateTime(allow_none=True)
    registration_open = fields.Boolean()
    categories = fields.List(fields.Nested(CategoryOut),
                             metadata={"description": "Categories open for self-registration."})


class StaffCategoryOut(CategoryOut):
    """A category as staff see it: every one, with its seats."""

    quota = fields.Integer(allow_none=True)
    taken = fields.Integer()


class EventPatch(Schema):
    """The event's place in three languages; each given field replaces the stored one."""

    venue_names = Multilingual(needs_text=True, max_length=200)
    city_names = Multilingual(needs_text=True, max_length=100)
