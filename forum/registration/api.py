"""Registration endpoints: sign up, then view, edit or cancel with the manage token."""

from datetime import timedelta

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint

from forum import clock
from forum.events import service as events
from forum.extensions import db, limiter
from forum.idempotency import Replayable, run_once
from forum.limits import registration_limit
from forum.registration import service
from forum.registration.schemas import (
    CancelOut,
    RegistrationCreated,
    RegistrationIn,
    RegistrationOut,
    RegistrationPatch,
)
from forum.tokens import bearer

blp = Blueprint("registrations", __name__, url_prefix="/api/v1",
                description="Attendee registration and self-service")


@blp.route("/events/<slug>/registrations")
class Registrations(MethodView):
    decorators = [limiter.limit(registration_limit, methods=["POST"])]

    @blp.arguments(RegistrationIn)
    @blp.response(201, RegistrationCreated)
    @blp.alt_response(404, schema="Problem", description="Unknown event or invitation code")
    @blp.alt_response(403, schema="Problem", description="category_not_open, …")
    @blp.alt_response(409, schema="Problem",
                      description="already_registered, registration_closed, "
                                  "idempotency_key_reused")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    @blp.alt_response(429, schema="Problem", description="Rate limited")
    def post(self, data: dict, slug: str):
        """Register for an event (individually or with a delegation or company code).

        Send an ``Idempotency-Key`` header to make retries safe.
        """
        now = clock.now()
        event = events.get_event(db.session, slug)

        def effect() -> Replayable:
            participant, token = service.register(
                db.session, event=event, data=service.RegistrationData(**data), now=now)
            return Replayable(201, {"id": participant.public_id,
                                    "status": participant.status.value,
                                    "manage_token": token})

        ttl = timedelta(hours=current_app.config["FORUM_IDEMPOTENCY_TTL_HOURS"])
        result = run_once(db.session, scope=f"registration:{event.id}",
                          key=request.headers.get("Idempotency-Key"), payload=data, now=now,
                          ttl=ttl, effect=effect)
        headers = {"Idempotent-Replayed": "true"} if result.replayed else {}
        return result.body, result.status_code, headers


@blp.route("/registrations/me")
class MyRegistration(MethodView):
    @blp.response(200, RegistrationOut)
    @blp.alt_response(401, schema="Problem", description="Missing or unknown manage token")
    def get(self):
        """Show my registration (Authorization: Bearer <manage_token>)."""
        return service.by_manage_token(db.session, bearer(request))

    @blp.arguments(RegistrationPatch)
    @blp.response(200, RegistrationOut)
    @blp.alt_response(401, schema="Problem", description="Missing or unknown manage token")
    @blp.alt_response(409, schema="Problem", description="registration_inactive")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    def patch(self, changes: dict):
        """Correct my name spelling, organization, job title, phone or language."""
        participant = service.by_manage_token(db.session, bearer(request))
        service.update_self(db.session, participant, changes, now=clock.now())
        db.session.commit()
        return participant

    @blp.response(200, CancelOut)
    @blp.alt_response(401, schema="Problem", description="Missing or unknown manage token")
    def delete(self):
        """Cancel my registration and erase my personal data; the seat goes to the waitlist."""
        participant = service.by_manage_token(db.session, bearer(request))
        service.cancel(db.session, participant, now=clock.now(), erase=True)
        db.session.commit()
        return participant
