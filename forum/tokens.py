"""Random bearer tokens; the database keeps only their SHA-256."""

from __future__ import annotations

import hashlib
import secrets

from flask import Request

from forum.errors import Unauthorized


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bearer(request: Request) -> str:
    """The token of an ``Authorization: Bearer …`` header, or 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send the token as 'Authorization: Bearer <token>'.",
                           code="missing_token")
    return token.strip()
