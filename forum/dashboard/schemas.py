"""Shapes of the dashboard: figures only, never a person's name, email or contact."""

from marshmallow import Schema, fields, validate

from forum.checkin.schemas import StatsOut


class DashboardQuery(Schema):
    top = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100), metadata={
        "description": "How many countries and companies to list before 'other'."})


class DayCount(Schema):
    day = fields.Date(metadata={"description": "Local day in the event's time zone"})
    count = fields.Integer()
    cumulative = fields.Integer()


class _Statuses(Schema):
    confirmed = fields.Integer()
    pending = fields.Integer()
    waitlisted = fields.Integer()


class Pool(Schema):
    quota = fields.Integer(allow_none=True, metadata={"description": "null = unlimited"})
    taken = fields.Integer()


class CategoryFigures(_Statuses, Pool):
    slug = fields.String()
    names = fields.Dict(keys=fields.String(), values=fields.String())


class CountryCount(Schema):
    country = fields.String(metadata={"description": "ISO 3166-1 alpha-2"})
    count = fields.Integer()


class OtherCountries(Schema):
    countries = fields.Integer()
    count = fields.Integer()


class Countries(Schema):
    top = fields.List(fields.Nested(CountryCount))
    other = fields.Nested(OtherCountries)
    total = fields.Integer()


class GroupFill(_Statuses, Pool):
    id = fields.String()
    name = fields.String()
    country = fields.String()


class CompanyTotals(Pool):
    companies = fields.Integer()
    approved = fields.Integer()
    pending = fields.Integer()
    rejected = fields.Integer()
    exhibitors = fields.Integer()
    unlimited = fields.Integer(metadata={"description": "Companies without a quota"})
    members = fields.Nested(_Statuses)


class Companies(Schema):
    top = fields.List(fields.Nested(GroupFill),
                      metadata={"description": "The largest approved companies by seats taken"})
    totals = fields.Nested(CompanyTotals)


class Pending(Schema):
    participants = fields.Integer(metadata={"description": "Registrations awaiting approval"})
    companies = fields.Integer(metadata={"description": "Company applications to decide"})


class DashboardOut(Schema):
    event = fields.String()
    timezone = fields.String()
    day = fields.Date(metadata={"description": "Today in the event's time zone"})
    capacity = fields.Nested(Pool)
    registrations = fields.List(fields.Nested(DayCount), metadata={
        "description": "Active registrations (pending, confirmed, waitlisted) by local day "
                       "of arrival, with the running total"})
    categories = fields.List(fields.Nested(CategoryFigures))
    countries = fields.Nested(Countries)
    delegations = fields.List(fields.Nested(GroupFill))
    companies = fields.Nested(Companies)
    pending = fields.Nested(Pending)
    checkin = fields.Nested(StatsOut, allow_none=True,
                            metadata={"description": "Live figures, on event days only"})
