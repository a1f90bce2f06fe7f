"""Unbound extension instances; ``create_app`` binds them."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy

from forum import limits as _limits  # noqa: F401  (registers the forum-sqlite:// storage)
from forum.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = Api()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
