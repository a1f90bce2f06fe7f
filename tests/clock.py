"""Clocks for the app under test (``create_app({"FORUM_CLOCK": clock})``).

The suite's "now" is 09:00 UTC of the day the run began, taken once from the wall clock and
handed to spawned worker processes through the environment, so test data is never tied to a
calendar date the wall clock will pass, and every process of one run agrees on it.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

_ENV = "FORUM_TEST_NOW"


def suite_now() -> datetime:
    """09:00 UTC on the day the run began (the same in every process of the run)."""
    if _ENV not in os.environ:
        start = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
        os.environ[_ENV] = start.isoformat()
    return datetime.fromisoformat(os.environ[_ENV])


class PinnedClock:
    """Stands still at a set time until a test moves it."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at


class RunningClock:
    """Starts at a set time and runs at the wall clock's pace (for live servers and browsers)."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self._origin = time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._origin)
