"""Company applications (public) and their approval; delegations (organizers)."""

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from forum import clock
from forum.accounts.auth import organizer_of
from forum.events import service as events
from forum.extensions import db, limiter
from forum.limits import registration_limit
from forum.organizations import service
from forum.organizations.models import CompanyStatus
from forum.organizations.schemas import (
    CompanyApplicationIn,
    CompanyApplied,
    CompanyDecisionIn,
    CompanyOut,
    CompanyQuery,
    DelegationOut,
)

blp = Blueprint("organizations", __name__, url_prefix="/api/v1/events/<slug>",
                description="Companies and delegations")


@blp.route("/companies")
class Companies(MethodView):
    decorators = [limiter.limit(registration_limit, methods=["POST"])]

    @blp.arguments(CompanyApplicationIn)
    @blp.response(201, CompanyApplied)
    @blp.alt_response(409, schema="Problem", description="company_exists, registration_closed")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    def post(self, data: dict, slug: str):
        """Register a company; it stays pending until an organizer approves it."""
        event = events.get_event(db.session, slug)
        data.pop("consent")
        company = service.apply_company(db.session, event=event, now=clock.now(), **data)
        db.session.commit()
        return company

    @blp.arguments(CompanyQuery, location="query")
    @blp.response(200, CompanyOut(many=True))
    @blp.alt_response(401, schema="Problem", description="Not signed in")
    @blp.alt_response(403, schema="Problem", description="Not an organizer of the event")
    def get(self, query: dict, slug: str):
        """List the event's companies (organizers)."""
        event = events.get_event(db.session, slug)
        organizer_of(request, event)
        status = CompanyStatus(query["status"]) if query["status"] else None
        return service.list_companies(db.session, event, status)


def _decide(slug: str, company_id: str, data: dict, approve: bool):
    event = events.get_event(db.session, slug)
    actor = organizer_of(request, event)
    company = service.get_company(db.session, event, company_id)
    service.decide_company(db.session, company, approve=approve, now=clock.now(),
                           actor=f"account:{actor.public_id}", **data)
    db.session.commit()
    return company


@blp.route("/companies/<company_id>/approve", methods=["POST"])
@blp.arguments(CompanyDecisionIn)
@blp.response(200, CompanyOut)
@blp.alt_response(404, schema="Problem", description="company_not_found")
@blp.alt_response(409, schema="Problem", description="not_pending")
def approve_company(data: dict, slug: str, company_id: str):
    """Approve a pending company; its invitation code becomes usable."""
    return _decide(slug, company_id, data, approve=True)


@blp.route("/companies/<company_id>/reject", methods=["POST"])
@blp.arguments(CompanyDecisionIn)
@blp.response(200, CompanyOut)
@blp.alt_response(404, schema="Problem", description="company_not_found")
@blp.alt_response(409, schema="Problem", description="not_pending")
def reject_company(data: dict, slug: str, company_id: str):
    """Reject a pending company."""
    return _decide(slug, company_id, data, approve=False)


@blp.route("/delegations")
@blp.response(200, DelegationOut(many=True))
@blp.alt_response(401, schema="Problem", description="Not signed in")
@blp.alt_response(403, schema="Problem", description="Not an organizer of the event")
def list_delegations(slug: str):
    """List the event's delegations with their invitation codes (organizers)."""
    event = events.get_event(db.session, slug)
    organizer_of(request, event)
    return service.list_delegations(db.session, event)
