"""Digital Bridge forum backend: the application factory."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask.sessions import SessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from forum import clock, config, errors, extensions, translate
from forum import db as dbmod
from forum.accounts import passwords

ROOT = Path(__file__).resolve().parent.parent

# Every table module, imported so metadata (and Alembic) sees all of them.
MODEL_MODULES = (
    "forum.events.models",
    "forum.organizations.models",
    "forum.registration.models",
    "forum.accounts.models",
    "forum.audit.models",
    "forum.badges.models",
    "forum.checkin.models",
    "forum.program.models",
    "forum.idempotency",
    "forum.mail.models",
    "forum.webhooks.models",
)


class _Forum(Flask):
    _allowed: dict[str, set[str]] | None = None

    def make_default_options_response(self):
        """``Allow`` names the methods of the route the URL matched, however many view
        functions serve it. Flask's default lists those of every rule that could match:
        ``/companies/approved`` (GET only) would also advertise the PATCH of
        ``/companies/<company_id>``."""
        if self._allowed is None:  # the URL map is complete once requests come
            allowed: dict[str, set[str]] = {}
            for rule in self.url_map.iter_rules():
                allowed.setdefault(rule.rule, set()).update(rule.methods or ())
            self._allowed = allowed
        response = self.response_class()
        if request.url_rule is not None:
            response.allow.update(self._allowed.get(request.url_rule.rule, ()))
        return response


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = _Forum(__name__, instance_path=str(ROOT / "instance"), static_folder=None)
    app.config.update(config.load(Path(app.instance_path)))
    if overrides:
        app.config.update(overrides)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS",
                          dbmod.engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    app.session_interface = _NoSession()
    app.json.ensure_ascii = False  # Kazakh and Russian text as UTF-8, not \u escapes
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if app.config["FORUM_TRUST_PROXY"]:
        hops = app.config["FORUM_TRUST_PROXY"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    import importlib

    for module in MODEL_MODULES:
        importlib.import_module(module)

    clock.init_app(app)
    passwords.init_app(app)
    extensions.db.init_app(app)
    with app.app_context():
        dbmod.configure_engine(extensions.db.engine)
    extensions.migrate.init_app(app, extensions.db, directory=str(ROOT / "migrations"),
                                render_as_batch=True)
    extensions.limiter.init_app(app)
    extensions.api.init_app(app)
    _register_spec_components()
    translate.init_app(app)
    errors.init_app(app)  # after the API, so our handler replaces flask-smorest's
    _register_blueprints(app)
    _connect_domains()

    from forum import cli, headers, health, web

    headers.init_app(app)
    health.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    return app


class _NoSession(SessionInterface):
    """No Flask session: staff sign in with a bearer token or the forum's own cookie
    (forum.accounts.sessions), so nothing reads or signs Flask's cookie on each request (its
    serializer cost 0.15 ms of a 3 ms scan in a profile). ``flask.session`` stays a
    NullSession, which refuses writes."""

    def open_session(self, app: Flask, request: Any) -> None:
        return None

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        return None


def _connect_domains() -> None:
    """Hooks by which a lower domain's rule reaches a higher domain's data."""
    from forum.mail import messages
    from forum.program import agenda
    from forum.registration import notices
    from forum.registration import service as registration
    from forum.webhooks import emit as webhooks

    # A cancelled registration gives up its workshop seats and its calendar feed.
    registration.on_cancel(agenda.registration_cancelled)
    # What happens to a registration is mailed to its person, through the outbox.
    notices.subscribe(messages.on_notice)
    # … and told to the partners' webhooks that asked for it, through the same outbox.
    notices.subscribe(webhooks.on_notice)


def _register_spec_components() -> None:
    from forum.schemas import ProblemSchema

    api = extensions.api
    if "Problem" not in api.spec.components.schemas:
        api.spec.components.schema("Problem", schema=ProblemSchema)


def _register_blueprints(app: Flask) -> None:
    from forum.accounts.admin_api import blp as staff_accounts_blp
    from forum.accounts.api import blp as accounts_blp
    from forum.audit.api import blp as audit_blp
    from forum.badges.api import blp as badges_blp
    from forum.checkin.admin_api import blp as checkin_admin_blp
    from forum.checkin.api import blp as checkin_blp
    from forum.dashboard.api import blp as dashboard_blp
    from forum.desk.api import blp as desk_blp
    from forum.events.api import blp as events_blp
    from forum.mail.api import blp as mail_blp
    from forum.mail.mailing_api import blp as mailings_blp
    from forum.organizations.api import blp as organizations_blp
    from forum.privacy.api import blp as open_data_blp
    from forum.program.api import blp as program_blp
    from forum.program.personal_api import blp as personal_program_blp
    from forum.program.public_api import blp as program_public_blp
    from forum.program.speaker_api import blp as speaker_profiles_blp
    from forum.program.speaker_api import own_blp as speaker_self_blp
    from forum.registration.admin_api import blp as registration_admin_blp
    from forum.registration.api import blp as registration_blp
    from forum.registration.privacy_api import blp as privacy_blp
    from forum.rosters.api import blp as rosters_blp
    from forum.webhooks.api import blp as webhooks_blp

    for blp in (events_blp, registration_blp, registration_admin_blp, organizations_blp,
                accounts_blp, staff_accounts_blp, checkin_blp, checkin_admin_blp, badges_blp,
                desk_blp, rosters_blp, dashboard_blp, audit_blp, privacy_blp, open_data_blp,
                program_blp, program_public_blp, personal_program_blp, mail_blp, mailings_blp,
                speaker_profiles_blp, speaker_self_blp, webhooks_blp):
        extensions.api.register_blueprint(blp)
