"""The check-in fixtures (gates, scanner tokens, badge codes), for scans of erased badges."""

from tests.checkin.conftest import (  # noqa: F401
    _fresh_device_cache,
    badge_code,
    gates,
    scanner,
)
