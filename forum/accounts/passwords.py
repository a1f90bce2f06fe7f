"""Staff passwords: argon2id (memory-hard), with older werkzeug hashes upgraded at sign-in."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app, has_app_context
from werkzeug.security import check_password_hash

from forum.accounts.errors import WEAK_PASSWORD
from forum.errors import ValidationFailed

_KEY = "forum.password_hasher"
_DEFAULT = PasswordHasher()  # RFC 9106's second choice: 64 MiB, 3 passes, 4 lanes
MIN_LENGTH = 10


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = PasswordHasher(
        time_cost=app.config["FORUM_PASSWORD_HASH_TIME_COST"],
        memory_cost=app.config["FORUM_PASSWORD_HASH_MEMORY_KIB"])


def _hasher() -> PasswordHasher:
    return current_app.extensions[_KEY] if has_app_context() else _DEFAULT


def check_strength(password: str, *, email: str = "", field: str = "password") -> None:
    """Long enough and not the address: the rules every new password passes."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"At least {MIN_LENGTH} characters.")
    local = email.split("@")[0].casefold()
    if len(local) >= 3 and local in password.casefold():
        problems.append("Must not contain the email address.")
    if len(set(password)) < 4:
        problems.append("Use more different characters.")
    if problems:
        raise ValidationFailed("Choose a stronger password.", code=WEAK_PASSWORD,
                               errors={field: problems})


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify(stored: str, password: str) -> tuple[bool, bool]:
    """(matches, should be re-hashed with the current parameters)."""
    if not stored.startswith("$argon2"):
        # Accounts created before argon2: werkzeug's scrypt/pbkdf2, replaced on success.
        return check_password_hash(stored, password), True
    try:
        _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False, False
    return True, _hasher().check_needs_rehash(stored)


# Verified against on a sign-in for an unknown address, so that it takes as long as a real one.
def dummy_verify(password: str) -> None:
    verify(_dummy_hash(), password)


_dummy: dict[str, str] = {}


def _dummy_hash() -> str:
    hasher = _hasher()
    key = f"{hasher.time_cost}:{hasher.memory_cost}"
    if key not in _dummy:
        _dummy[key] = hasher.hash("not a password at all")
    return _dummy[key]
