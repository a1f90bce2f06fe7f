"""The badge token of DESIGN §4: a compact signed payload as uppercase base32.

Layout (15 bytes, big-endian) followed by a 64-byte Ed25519 signature:

    version:1  kid:2  event_tag:3  serial:5  revision:2  category:2

79 bytes encode to 127 base32 characters, which QR alphanumeric mode holds in version 6 at
error correction M (capacity 154). No personal data: the serial is random, the category is a
small code, the event is a 24-bit tag derived from the event's id.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VERSION = 1
_PAYLOAD = struct.Struct(">BH3s5sHH")
MAX_REVISION = 2**16 - 1  # the token's "H" field
_SIG_LEN = 64
_RAW_LEN = _PAYLOAD.size + _SIG_LEN
TOKEN_LENGTH = -(-_RAW_LEN * 8 // 5)  # base32 characters without padding
# Signatures are bound to this use, so no other signed blob can pass as a badge.
_DOMAIN = b"digital-bridge badge\x00"
_BASE32 = re.compile(r"[A-Z2-7]+")

KeySource = Mapping[str, bytes] | Callable[[str], bytes | None]


class TokenError(Exception):
    """A scanned code that cannot admit anyone."""


class TokenInvalid(TokenError):
    """Not a badge token, damaged, forged, of an unknown format, or signed by an unknown key."""


class TokenWrongEvent(TokenError):
    """A well-formed badge token that belongs to another event."""

    def __init__(self, claims: BadgeClaims) -> None:
        super().__init__("badge of another event")
        self.claims = claims


@dataclass(frozen=True, slots=True)
class BadgeClaims:
    version: int
    kid: str
    event_tag: int
    serial: str
    revision: int
    category: int


def event_tag(event_id: int) -> int:
    """The 24-bit tag a token carries for its event (not the sequential id itself)."""
    return int.from_bytes(hashlib.sha256(b"forum-event:%d" % event_id).digest()[:3], "big")


def _kid_bytes(kid: str) -> int:
    return int(kid, 16)


def _serial_bytes(serial: str) -> bytes:
    raw = base64.b32decode(serial)
    if len(raw) != 5:
        raise ValueError("a serial is 8 base32 characters")
    return raw


def encode_badge_token(*, private_key: Ed25519PrivateKey, kid: str, event_tag: int,
                       serial: str, revision: int, category: int) -> str:
    """Sign the claims and return the QR text."""
    payload = _PAYLOAD.pack(VERSION, _kid_bytes(kid), event_tag.to_bytes(3, "big"),
                            _serial_bytes(serial), revision, category)
    signature = private_key.sign(_DOMAIN + payload)
    return base64.b32encode(payload + signature).decode("ascii").rstrip("=")


@lru_cache(maxsize=256)
def _public_key(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def parse_badge_token(code: str) -> tuple[BadgeClaims, bytes, bytes]:
    """Split a code into claims, signed bytes and signature, without verifying; or TokenInvalid."""
    text = code.strip().upper()
    if len(text) != TOKEN_LENGTH or not _BASE32.fullmatch(text):
        raise TokenInvalid("not a badge code")
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except binascii.Error as exc:
        raise TokenInvalid("not base32") from exc
    # The unused low bits of the last character must be zero: one token, one spelling.
    if base64.b32encode(raw).decode("ascii").rstrip("=") != text:
        raise TokenInvalid("non-canonical encoding")
    payload, signature = raw[:_PAYLOAD.size], raw[_PAYLOAD.size:]
    version, kid, tag, serial, revision, category = _PAYLOAD.unpack(payload)
    if version != VERSION:
        raise TokenInvalid(f"unknown token version {version}")
    claims = BadgeClaims(version=version, kid=f"{kid:04X}",
                         event_tag=int.from_bytes(tag, "big"),
                         serial=base64.b32encode(serial).decode("ascii"),
                         revision=revision, category=category)
    return claims, payload, signature


def decode_badge_token(code: str, *, public_keys: KeySource,
                       event_tag: int | None = None) -> BadgeClaims:
    """Verify a code against the given keys (kid → raw public key) and return its claims.

    With ``event_tag`` (the expected event), a token whose key is unknown here but which names
    another event raises TokenWrongEvent; a verified token of another event does too. A single
    altered byte either keeps a known kid (the signature fails) or keeps this event's tag (the
    kid is unknown), so tampering always ends in TokenInvalid.
    """
    claims, payload, signature = parse_badge_token(code)
    raw_key = (public_keys(claims.kid) if callable(public_keys)
               else public_keys.get(claims.kid))
    if raw_key is None:
        if event_tag is not None and claims.event_tag != event_tag:
            raise TokenWrongEvent(claims)
        raise TokenInvalid("unknown or retired key")
    try:
        _public_key(bytes(raw_key)).verify(signature, _DOMAIN + payload)
    except InvalidSignature as exc:
        raise TokenInvalid("bad signature") from exc
    if event_tag is not None and claims.event_tag != event_tag:
        raise TokenWrongEvent(claims)
    return claims
