"""Organizers' webhook endpoints: register (the secret shown once), list, change, rotate,
delete, and see recent deliveries."""

from types import SimpleNamespace

from flask import current_app
from flask.views import MethodView

from forum import clock, keyring
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.blueprint import Blueprint
from forum.events.models import Event
from forum.extensions import db
from forum.webhooks import service, urls
from forum.webhooks.models import WebhookEndpoint
from forum.webhooks.schemas import (
    SecretOut,
    WebhookChange,
    WebhookCreated,
    WebhookDetail,
    WebhookIn,
    WebhookOut,
)

blp = Blueprint("webhooks", __name__, url_prefix="/api/v1",
                description="Webhooks: partners told of registrations and check-ins")
# Endpoints receive every registration's id: the whole event's organizers only.
WRITE = Permission.PARTICIPANTS_WRITE


def _with(endpoint: WebhookEndpoint, **extra: object) -> SimpleNamespace:
    """The endpoint's fields and what only this answer shows (the secret, the deliveries)."""
    shown = {name: getattr(endpoint, name) for name in WebhookOut().fields}
    return SimpleNamespace(**shown, public_id=endpoint.public_id, **extra)


def _kek() -> str:
    return keyring.key_encryption_key(current_app.config)


@blp.route("/events/<slug>/webhooks")
class Webhooks(MethodView):
    @blp.staff(WRITE, whole_event=True)
    @blp.response(200, WebhookOut(many=True))
    def get(self, *, event: Event, actor: Actor):
        """The event's webhook endpoints (secrets are never shown again)."""
        return service.listing(db.session, event)

    @blp.staff(WRITE, whole_event=True)
    @blp.arguments(WebhookIn)
    @blp.response(201, WebhookCreated)
    @blp.alt_response(422, schema="Problem", description="Invalid fields or a refused URL")
    def post(self, data: dict, *, event: Event, actor: Actor):
        """Register an endpoint; the answer carries its signing ``secret``, shown only once."""
        endpoint, secret = service.create(
            db.session, event, url=data["url"], events=data["events"], kek=_kek(),
            now=clock.now(), actor=actor.ref, **urls.policy(current_app.config))
        db.session.commit()
        return _with(endpoint, secret=secret)


@blp.route("/events/<slug>/webhooks/<webhook_id>")
class WebhookItem(MethodView):
    @blp.staff(WRITE, whole_event=True)
    @blp.response(200, WebhookDetail)
    @blp.alt_response(404, schema="Problem", description="webhook_not_found")
    def get(self, webhook_id: str, *, event: Event, actor: Actor):
        """One endpoint with its status, last error and recent deliveries."""
        endpoint = service.get(db.session, event, webhook_id)
        return _with(endpoint, deliveries=service.recent(db.session, endpoint))

    @blp.staff(WRITE, whole_event=True)
    @blp.arguments(WebhookChange)
    @blp.response(200, WebhookOut)
    @blp.alt_response(404, schema="Problem", description="webhook_not_found")
    @blp.alt_response(422, schema="Problem", description="Invalid fields or a refused URL")
    def patch(self, data: dict, webhook_id: str, *, event: Event, actor: Actor):
        """Change the URL or event types, or switch the endpoint on again (after a 410)."""
        endpoint = service.change(db.session, service.get(db.session, event, webhook_id), data,
                                  now=clock.now(), actor=actor.ref,
                                  **urls.policy(current_app.config))
        db.session.commit()
        return endpoint

    @blp.staff(WRITE, whole_event=True)
    @blp.response(204)
    @blp.alt_response(404, schema="Problem", description="webhook_not_found")
    def delete(self, webhook_id: str, *, event: Event, actor: Actor):
        """Remove the endpoint; nothing more is delivered to it."""
        service.delete(db.session, service.get(db.session, event, webhook_id), now=clock.now(),
                       actor=actor.ref)
        db.session.commit()


@blp.route("/events/<slug>/webhooks/<webhook_id>/rotate-secret", methods=["POST"])
@blp.staff(WRITE, whole_event=True)
@blp.response(200, SecretOut)
@blp.alt_response(404, schema="Problem", description="webhook_not_found")
def rotate_secret(webhook_id: str, *, event: Event, actor: Actor):
    """A new signing secret (shown once); the old one stops signing at once."""
    secret = service.rotate(db.session, service.get(db.session, event, webhook_id), kek=_kek(),
                            now=clock.now(), actor=actor.ref)
    db.session.commit()
    return {"secret": secret}
