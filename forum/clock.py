"""The application's one clock.

Services take ``now=``; whatever calls them inside the app (views, CLI commands) asks this
module for the time, and this module asks the clock the app was created with. That is the
wall clock unless ``create_app({"FORUM_CLOCK": callable})`` gave another one, which is how
tests pin the time of HTTP requests exactly as they pin it for services.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, current_app

Clock = Callable[[], datetime]
_KEY = "forum.clock"


def system_clock() -> datetime:
    """The wall clock, timezone-aware UTC."""
    return datetime.now(UTC)


def init_app(app: Flask) -> None:
    clock = app.config.get("FORUM_CLOCK") or system_clock
    if not callable(clock):
        raise TypeError("FORUM_CLOCK must be a callable returning an aware datetime")
    app.extensions[_KEY] = clock


def now() -> datetime:
    """The current time by the running app's clock (aware, UTC)."""
    moment = current_app.extensions[_KEY]()
    if moment.tzinfo is None:
        raise ValueError("the app's clock returned a naive datetime")
    return moment
