"""Secrets kept in the database, sealed with AES-GCM under a key derived from the app secret.

Each kind of secret derives its own key (``purpose``), and ``aad`` binds a sealed value to
its row, so a value copied to another row does not unseal. A database dump alone reveals
nothing; with ``FORUM_SECRET_KEY`` it does, which is why production refuses a weak one.
"""

from __future__ import annotations

import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def _derive(secret: str, purpose: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=purpose).derive(secret.encode())
    return AESGCM(derived)


_key = lru_cache(maxsize=16)(_derive)  # the app's own secrets, derived once per process


def seal(value: bytes, *, purpose: bytes, aad: bytes, secret: str,
         remember: bool = True) -> bytes:
    """12-byte nonce, then the ciphertext with its tag. ``remember=False`` for secrets that
    only the client holds (an Idempotency-Key): their keys are not kept in memory."""
    nonce = os.urandom(12)
    key = _key(secret, purpose) if remember else _derive(secret, purpose)
    return nonce + key.encrypt(nonce, value, aad)


def unseal(sealed: bytes, *, purpose: bytes, aad: bytes, secret: str,
           remember: bool = True) -> bytes:
    key = _key(secret, purpose) if remember else _derive(secret, purpose)
    return key.decrypt(sealed[:12], sealed[12:], aad)
