"""Registration endpoints: sign up, then view, edit or cancel with the manage token."""

from flask import Response, request
from flask.views import MethodView

from forum import clock, countries
from forum.blueprint import Blueprint
from forum.events.models import Event
from forum.extensions import db, limiter
from forum.i18n import negotiate
from forum.limits import registration_limit
from forum.registration import service
from forum.registration.models import Participant
from forum.registration.schemas import (
    CancelOut,
    CountryOut,
    CountryQuery,
    RegistrationCreated,
    RegistrationIn,
    RegistrationOut,
    RegistrationPatch,
)

blp = Blueprint("registrations", __name__, url_prefix="/api/v1",
                description="Attendee registration and self-service")


@blp.route("/events/<slug>/registrations")
class Registrations(MethodView):
    decorators = [limiter.limit(registration_limit, methods=["POST"])]

    @blp.public
    @blp.arguments(RegistrationIn)
    @blp.response(201, RegistrationCreated)
    @blp.idempotent(scope=lambda kwargs: f"registration:{kwargs['event'].id}",
                    subject=lambda body: body.get("id"))
    @blp.alt_response(404, schema="Problem", description="Unknown event or invitation code")
    @blp.alt_response(403, schema="Problem", description="category_not_open, …")
    @blp.alt_response(409, schema="Problem",
                      description="already_registered, registration_closed, "
                                  "idempotency_key_reused")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    @blp.alt_response(429, schema="Problem", description="Rate limited")
    def post(self, data: dict, *, event: Event):
        """Register for an event (individually or with a delegation or company code).

        Send an ``Idempotency-Key`` header to make retries safe.
        """
        participant, token = service.register(
            db.session, event=event, data=service.RegistrationData(**data), now=clock.now())
        return {"id": participant.public_id, "status": participant.status.value,
                "manage_token": token}, 201


@blp.route("/countries")
@blp.public
@blp.arguments(CountryQuery, location="query")
@blp.response(200, CountryOut(many=True), headers={"ETag": {"schema": {"type": "string"}}})
@blp.revalidated
def country_list(query: dict):
    """Every ISO 3166-1 country named in kk, ru or en (CLDR), in that language's order."""
    language = negotiate(query["locale"], request.accept_languages)
    body, tag = countries.body(language)
    # Names change only with a Babel upgrade: a day in any cache, then a cheap 304.
    headers = {"Cache-Control": "public, max-age=86400", "Vary": "Accept-Language",
               "Content-Language": language}
    response = Response(body, mimetype="application/json", headers=headers)
    response.set_etag(tag)
    return response.make_conditional(request)


@blp.route("/registrations/me")
class MyRegistration(MethodView):
    @blp.registrant
    @blp.response(200, RegistrationOut)
    def get(self, *, participant: Participant):
        """Show my registration (Authorization: Bearer <manage_token>)."""
        return participant

    @blp.registrant
    @blp.arguments(RegistrationPatch)
    @blp.response(200, RegistrationOut)
    @blp.alt_response(409, schema="Problem", description="registration_inactive")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    def patch(self, changes: dict, *, participant: Participant):
        """Correct my name spelling, organization, job title, phone or language."""
        service.update_self(db.session, participant, changes, now=clock.now())
        db.session.commit()
        return participant

    @blp.registrant
    @blp.response(200, CancelOut)
    def delete(self, *, participant: Participant):
        """Cancel my registration and erase my personal data; the seat goes to the waitlist."""
        service.cancel(db.session, participant, now=clock.now(), erase=True)
        db.session.commit()
        return participant
