"""Unbound extension instances; ``create_app`` binds them."""

import http

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from flask_sqlalchemy import SQLAlchemy

from forum import limits as _limits  # noqa: F401  (registers the forum-sqlite:// storage)
from forum.db import Base
from forum.errors import PROBLEM_MIME
from forum.schemas import ProblemSchema


class ForumApi(Api):
    """flask-smorest's Api with the error answers documented as the server sends them: the
    RFC 9457 ``Problem`` schema as ``application/problem+json``, also for the 422 and the
    default answers flask-smorest adds to every operation."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        for status in http.HTTPStatus:
            response: dict = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIME)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Any other error, as problem details",
                    "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MIME)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = ForumApi()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
