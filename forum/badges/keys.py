"""Per-event Ed25519 signing keys: created on first use, rotated, retired; sealed at rest
under the key-encryption key (forum.keyring), re-sealed by ``flask forum rotate-kek``."""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from forum import keyring, sealing
from forum.badges.models import EventKey
from forum.events.models import Event

_PURPOSE = b"forum badge signing keys v1"


def _secret() -> str:
    # The KEK is configuration, not a domain input: sealing is a storage concern.
    return keyring.key_encryption_key(current_app.config)


def _aad(event_id: int, kid: str) -> bytes:
    # Binds a sealed key to its row: copying it to another event or kid does not unseal.
    return b"event:%d kid:%s" % (event_id, kid.encode())


def seal(private_raw: bytes, *, event_id: int, kid: str, secret: str) -> bytes:
    return sealing.seal(private_raw, purpose=_PURPOSE, aad=_aad(event_id, kid), secret=secret)


@lru_cache(maxsize=64)
def _unseal(sealed: bytes, event_id: int, kid: str, secret: str) -> Ed25519PrivateKey:
    raw = sealing.unseal(sealed, purpose=_PURPOSE, aad=_aad(event_id, kid), secret=secret)
    return Ed25519PrivateKey.from_private_bytes(raw)


def private_key(key: EventKey) -> Ed25519PrivateKey:
    """The signing key of a row (unsealed once per process)."""
    return _unseal(bytes(key.private_key_sealed), key.event_id, key.kid, _secret())


def _new_kid(session: Session) -> str:
    while True:
        kid = f"{secrets.randbelow(0x10000):04X}"
        if session.scalar(select(EventKey.id).where(EventKey.kid == kid)) is None:
            return kid


def create_key(session: Session, event: Event, *, now: datetime) -> EventKey:
    """Generate a key pair for the event; the newest unretired key signs new tokens."""
    private = Ed25519PrivateKey.generate()
    kid = _new_kid(session)
    key = EventKey(
        event_id=event.id, kid=kid, created_at=now,
        private_key_sealed=seal(private.private_bytes_raw(), event_id=event.id, kid=kid,
                                secret=_secret()),
        public_key=private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
    )
    session.add(key)
    session.flush()
    return key


def signing_key(session: Session, event_id: int, *, now: datetime) -> EventKey:
    """The event's active key, generated on first use."""
    key = session.scalar(
        select(EventKey).where(EventKey.event_id == event_id, EventKey.retired_at.is_(None))
        .order_by(EventKey.created_at.desc(), EventKey.id.desc()).limit(1))
    if key is None:
        key = create_key(session, session.get(Event, event_id), now=now)
    return key


def rotate_key(session: Session, event: Event, now: datetime) -> EventKey:
    """Start signing with a new key; the previous ones keep verifying until retired."""
    return create_key(session, event, now=now)


def retire_key(session: Session, key: EventKey, *, now: datetime) -> EventKey:
    """Stop accepting tokens signed by this key."""
    key.retired_at = now
    session.flush()
    return key


def public_keys(session: Session, event: Event) -> dict[str, bytes]:
    """kid → raw 32-byte public key of the event's unretired keys (what scanners verify with)."""
    rows = session.execute(
        select(EventKey.kid, EventKey.public_key)
        .where(EventKey.event_id == event.id, EventKey.retired_at.is_(None)))
    return {kid: bytes(pub) for kid, pub in rows}


def reseal_all(session: Session, *, old: str, new: str) -> tuple[int, int]:
    """Seal every stored key under ``new`` (those still under ``old``): (re-sealed, already).
    Raises InvalidTag naming no secret if a key opens under neither."""
    resealed = already = 0
    for key in session.scalars(select(EventKey).order_by(EventKey.id)):
        sealed, aad = bytes(key.private_key_sealed), _aad(key.event_id, key.kid)
        try:
            sealing.unseal(sealed, purpose=_PURPOSE, aad=aad, secret=new)
            already += 1
            continue
        except InvalidTag:
            raw = sealing.unseal(sealed, purpose=_PURPOSE, aad=aad, secret=old)
        key.private_key_sealed = seal(raw, event_id=key.event_id, kid=key.kid, secret=new)
        resealed += 1
    session.flush()
    return resealed, already


def opens(session: Session) -> bool:
    """Whether the configured KEK opens the newest stored key (readiness: a KEK changed
    without ``rotate-kek`` would stop badges from being issued)."""
    key = session.scalar(select(EventKey).order_by(EventKey.id.desc()).limit(1))
    if key is None:
        return True
    try:
        sealing.unseal(bytes(key.private_key_sealed), purpose=_PURPOSE,
                       aad=_aad(key.event_id, key.kid), secret=_secret())
    except InvalidTag:
        return False
    return True
