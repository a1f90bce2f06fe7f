"""Rate limits read from the config at request time (so tests and deployments can tune them)."""

from flask import current_app


def registration_limit() -> str:
    return current_app.config["FORUM_REGISTRATION_RATE_LIMIT"]


def login_limit() -> str:
    return current_app.config["FORUM_LOGIN_RATE_LIMIT"]
