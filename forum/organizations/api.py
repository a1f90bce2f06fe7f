"""Company applications (public) and their approval; delegations (organizers)."""

from flask.views import MethodView

from forum import clock
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.blueprint import Blueprint
from forum.events.models import Event
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

    @blp.public
    @blp.arguments(CompanyApplicationIn)
    @blp.response(201, CompanyApplied)
    @blp.alt_response(409, schema="Problem", description="company_exists, registration_closed")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    def post(self, data: dict, *, event: Event):
        """Register a company; it stays pending until an organizer approves it."""
        data.pop("consent")
        company = service.apply_company(db.session, event=event, now=clock.now(), **data)
        db.session.commit()
        return company

    @blp.staff(Permission.ORGANIZATIONS)
    @blp.arguments(CompanyQuery, location="query")
    @blp.response(200, CompanyOut(many=True))
    def get(self, query: dict, *, event: Event, actor: Actor):
        """List the event's companies (organizers)."""
        status = CompanyStatus(query["status"]) if query["status"] else None
        return service.list_companies(db.session, event, status)


def _decide(event: Event, actor: Actor, company_id: str, data: dict, approve: bool):
    company = service.get_company(db.session, event, company_id)
    service.decide_company(db.session, company, approve=approve, now=clock.now(),
                           actor=actor.ref, **data)
    db.session.commit()
    return company


@blp.route("/companies/<company_id>/approve", methods=["POST"])
@blp.staff(Permission.ORGANIZATIONS)
@blp.arguments(CompanyDecisionIn)
@blp.response(200, CompanyOut)
@blp.alt_response(404, schema="Problem", description="company_not_found")
@blp.alt_response(409, schema="Problem", description="not_pending")
def approve_company(data: dict, company_id: str, *, event: Event, actor: Actor):
    """Approve a pending company; its invitation code becomes usable."""
    return _decide(event, actor, company_id, data, approve=True)


@blp.route("/companies/<company_id>/reject", methods=["POST"])
@blp.staff(Permission.ORGANIZATIONS)
@blp.arguments(CompanyDecisionIn)
@blp.response(200, CompanyOut)
@blp.alt_response(404, schema="Problem", description="company_not_found")
@blp.alt_response(409, schema="Problem", description="not_pending")
def reject_company(data: dict, company_id: str, *, event: Event, actor: Actor):
    """Reject a pending company."""
    return _decide(event, actor, company_id, data, approve=False)


@blp.route("/delegations")
@blp.staff(Permission.ORGANIZATIONS)
@blp.response(200, DelegationOut(many=True))
def list_delegations(*, event: Event, actor: Actor):
    """List the event's delegations with their invitation codes (organizers)."""
    return service.list_delegations(db.session, event)
