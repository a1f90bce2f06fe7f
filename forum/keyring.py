"""The secrets production runs on: how strong they must be, and which one seals stored keys.

``FORUM_SECRET_KEY`` signs sessions and CSRF tokens; ``FORUM_KEY_ENCRYPTION_KEY`` (the KEK)
seals the keys kept in the database (badge signing keys, staff TOTP secrets), so that a
database dump together with the app secret still does not give them away, and so that the
KEK can be rotated on its own (``flask forum rotate-kek``). In development, without a KEK,
the app secret seals them, exactly as before the KEK existed: old databases keep working.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

MIN_BYTES = 32  # what a generated secret must carry at least
_HEX = re.compile(r"[0-9a-fA-F]+")
_BASE64 = re.compile(r"[A-Za-z0-9_\-+/]+=*")
_PLACEHOLDERS = ("changeme", "change-me", "secret", "password", "example", "digitalbridge")
# A random secret of the minimum length shows far more distinct characters than these (a
# 43-character url-safe one about 31 of 64, a 64-digit hex one about 16 of 16).
_MIN_DISTINCT = {"hex": 10, "base64": 20}
# Same, ascending or descending characters in a row: a random secret has such a run about
# once in ten million.
_MAX_RUN = {"hex": 9, "base64": 6}


def generate_hint() -> str:
    return "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"


def weakness(value: str) -> str | None:
    """Why ``value`` is too weak to be a production secret, or None if it is not."""
    if _HEX.fullmatch(value):
        alphabet, bits = "hex", len(value) * 4
    elif _BASE64.fullmatch(value):
        alphabet, bits = "base64", len(value.rstrip("=")) * 6
    else:
        return "it is not a generated secret (url-safe base64 or hex)"
    if bits < MIN_BYTES * 8:
        return (f"it carries {bits // 8} bytes, under {MIN_BYTES} "
                f"(43 url-safe base64 characters or 64 hex digits)")
    if len(set(value.lower() if alphabet == "hex" else value)) < _MIN_DISTINCT[alphabet]:
        return "it repeats too few characters to be random"
    if _longest_run(value) > _MAX_RUN[alphabet]:
        return "it has a run of consecutive characters"
    lowered = value.lower()
    if any(word in lowered for word in _PLACEHOLDERS):
        return "it contains a placeholder word"
    return None


def _longest_run(value: str) -> int:
    longest = run = 1
    step = None
    for a, b in zip(value, value[1:], strict=False):
        diff = ord(b) - ord(a)
        if diff in (-1, 0, 1) and (run == 1 or diff == step):
            run, step = run + 1, diff
        elif diff in (-1, 0, 1):
            run, step = 2, diff
        else:
            run, step = 1, None
        longest = max(longest, run)
    return longest


def key_encryption_key(config: Mapping[str, object]) -> str:
    """The secret that seals stored keys: the KEK, or in development the app secret."""
    return str(config.get("FORUM_KEY_ENCRYPTION_KEY") or config["SECRET_KEY"])
