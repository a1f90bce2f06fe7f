"""Delegations and companies: the public company application, and the organizers' set-up,
editing, approval and invitation codes.

Delegation heads and company managers read their own delegation or company (roster and fill
level) through the same routes; anyone else's is 404, and they change nothing here.
"""

from flask.views import MethodView

from forum import clock
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.blueprint import Blueprint
from forum.events.models import Event
from forum.extensions import db, limiter
from forum.limits import registration_limit
from forum.organizations import members, service
from forum.organizations.models import CompanyStatus
from forum.organizations.schemas import (
    CompanyApplicationIn,
    CompanyApplied,
    CompanyDecisionIn,
    CompanyDetail,
    CompanyIn,
    CompanyNameOut,
    CompanyOut,
    CompanyPatch,
    CompanyQuery,
    DelegationDetail,
    DelegationIn,
    DelegationOut,
    DelegationPatch,
)

blp = Blueprint("organizations", __name__, url_prefix="/api/v1/events/<slug>",
                description="Companies and delegations")
P = Permission
_QUOTA = "quota_below_taken"
_DELEGATION_404 = "delegation_not_found (also another delegation, for a delegation head)"
_COMPANY_404 = "company_not_found (also another company, for a company manager)"


# --- companies -----------------------------------------------------------------------------

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

    @blp.staff(P.ORGANIZATIONS_READ)
    @blp.arguments(CompanyQuery, location="query")
    @blp.response(200, CompanyOut(many=True))
    def get(self, query: dict, *, event: Event, actor: Actor):
        """List the event's companies with their fill levels (a manager sees their own)."""
        status = CompanyStatus(query["status"]) if query["status"] else None
        return members.companies(db.session, event, status=status, scope=actor.scope)


@blp.route("/companies/approved")
@blp.public
@blp.response(200, CompanyNameOut(many=True))
def approved_companies(*, event: Event):
    """The names of the approved companies, and nothing else (the form's suggestions)."""
    names = service.approved_names(db.session, event)
    db.session.rollback()
    return [{"name": name} for name in names], 200, {"Cache-Control": "public, max-age=300"}


@blp.route("/companies/manual", methods=["POST"])
@blp.staff(P.ORGANIZATIONS)
@blp.arguments(CompanyIn)
@blp.response(201, CompanyOut)
@blp.alt_response(409, schema="Problem", description="company_exists")
@blp.alt_response(422, schema="Problem", description="Invalid fields")
def create_company(data: dict, *, event: Event, actor: Actor):
    """Add a company directly, approved at once (no application)."""
    company = service.create_company(db.session, event=event, now=clock.now(), actor=actor.ref,
                                     **data)
    found = members.fill_of(db.session, company)
    db.session.commit()
    return found


@blp.route("/companies/<company_id>")
class CompanyItem(MethodView):
    @blp.staff(P.ORGANIZATIONS_READ)
    @blp.response(200, CompanyDetail)
    @blp.alt_response(404, schema="Problem", description=_COMPANY_404)
    def get(self, company_id: str, *, event: Event, actor: Actor):
        """A company with its roster and fill level."""
        company = service.get_company(db.session, event, company_id, scope=actor.scope)
        return members.roster(db.session, company)

    @blp.staff(P.ORGANIZATIONS)
    @blp.arguments(CompanyPatch)
    @blp.response(200, CompanyOut)
    @blp.alt_response(404, schema="Problem", description="company_not_found")
    @blp.alt_response(409, schema="Problem", description=f"company_exists, {_QUOTA}")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    def patch(self, data: dict, company_id: str, *, event: Event, actor: Actor):
        """Edit a company; its quota cannot go below the seats its members hold."""
        company = service.get_company(db.session, event, company_id)
        service.update_company(db.session, company, data, now=clock.now(), actor=actor.ref)
        found = members.fill_of(db.session, company)
        db.session.commit()
        return found


@blp.route("/companies/<company_id>/code", methods=["POST"])
@blp.staff(P.ORGANIZATIONS)
@blp.response(200, CompanyOut)
@blp.alt_response(404, schema="Problem", description="company_not_found")
def company_code(company_id: str, *, event: Event, actor: Actor):
    """Give the company a new invitation code; the old one stops working at once."""
    company = service.get_company(db.session, event, company_id)
    service.regenerate_code(db.session, company, now=clock.now(), actor=actor.ref)
    found = members.fill_of(db.session, company)
    db.session.commit()
    return found


def _decide(event: Event, actor: Actor, company_id: str, data: dict, approve: bool):
    company = service.get_company(db.session, event, company_id)
    service.decide_company(db.session, company, approve=approve, now=clock.now(),
                           actor=actor.ref, **data)
    found = members.fill_of(db.session, company)
    db.session.commit()
    return found


@blp.route("/companies/<company_id>/approve", methods=["POST"])
@blp.staff(P.ORGANIZATIONS)
@blp.arguments(CompanyDecisionIn)
@blp.response(200, CompanyOut)
@blp.alt_response(404, schema="Problem", description="company_not_found")
@blp.alt_response(409, schema="Problem", description=f"not_pending, {_QUOTA}")
def approve_company(data: dict, company_id: str, *, event: Event, actor: Actor):
    """Approve a pending company; its invitation code becomes usable."""
    return _decide(event, actor, company_id, data, approve=True)


@blp.route("/companies/<company_id>/reject", methods=["POST"])
@blp.staff(P.ORGANIZATIONS)
@blp.arguments(CompanyDecisionIn)
@blp.response(200, CompanyOut)
@blp.alt_response(404, schema="Problem", description="company_not_found")
@blp.alt_response(409, schema="Problem", description="not_pending")
def reject_company(data: dict, company_id: str, *, event: Event, actor: Actor):
    """Reject a pending company."""
    return _decide(event, actor, company_id, data, approve=False)


# --- delegations ---------------------------------------------------------------------------

@blp.route("/delegations")
class Delegations(MethodView):
    @blp.staff(P.ORGANIZATIONS_READ)
    @blp.response(200, DelegationOut(many=True))
    def get(self, *, event: Event, actor: Actor):
        """List the delegations with codes and fill levels (a head sees their own)."""
        return members.delegations(db.session, event, scope=actor.scope)

    @blp.staff(P.ORGANIZATIONS)
    @blp.arguments(DelegationIn)
    @blp.response(201, DelegationOut)
    @blp.alt_response(409, schema="Problem", description="delegation_exists")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    def post(self, data: dict, *, event: Event, actor: Actor):
        """Set up a country's delegation (one per country); its invitation code is made."""
        delegation = service.create_delegation(db.session, event=event, now=clock.now(),
                                               actor=actor.ref, **data)
        found = members.fill_of(db.session, delegation)
        db.session.commit()
        return found


@blp.route("/delegations/<delegation_id>")
class DelegationItem(MethodView):
    @blp.staff(P.ORGANIZATIONS_READ)
    @blp.response(200, DelegationDetail)
    @blp.alt_response(404, schema="Problem", description=_DELEGATION_404)
    def get(self, delegation_id: str, *, event: Event, actor: Actor):
        """A delegation with its roster and fill level."""
        delegation = service.get_delegation(db.session, event, delegation_id, scope=actor.scope)
        return members.roster(db.session, delegation)

    @blp.staff(P.ORGANIZATIONS)
    @blp.arguments(DelegationPatch)
    @blp.response(200, DelegationOut)
    @blp.alt_response(404, schema="Problem", description="delegation_not_found")
    @blp.alt_response(409, schema="Problem", description=f"delegation_exists, {_QUOTA}")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    def patch(self, data: dict, delegation_id: str, *, event: Event, actor: Actor):
        """Edit a delegation; its quota cannot go below the seats its members hold."""
        delegation = service.get_delegation(db.session, event, delegation_id)
        service.update_delegation(db.session, delegation, data, now=clock.now(),
                                  actor=actor.ref)
        found = members.fill_of(db.session, delegation)
        db.session.commit()
        return found

    @blp.staff(P.ORGANIZATIONS)
    @blp.response(204)
    @blp.alt_response(404, schema="Problem", description="delegation_not_found")
    @blp.alt_response(409, schema="Problem", description="delegation_not_empty")
    def delete(self, delegation_id: str, *, event: Event, actor: Actor):
        """Remove a delegation without members (any status counts)."""
        delegation = service.get_delegation(db.session, event, delegation_id)
        service.delete_delegation(db.session, delegation, now=clock.now(), actor=actor.ref)
        db.session.commit()


@blp.route("/delegations/<delegation_id>/code", methods=["POST"])
@blp.staff(P.ORGANIZATIONS)
@blp.response(200, DelegationOut)
@blp.alt_response(404, schema="Problem", description="delegation_not_found")
def delegation_code(delegation_id: str, *, event: Event, actor: Actor):
    """Give the delegation a new invitation code; the old one stops working at once."""
    delegation = service.get_delegation(db.session, event, delegation_id)
    service.regenerate_code(db.session, delegation, now=clock.now(), actor=actor.ref)
    found = members.fill_of(db.session, delegation)
    db.session.commit()
    return found
