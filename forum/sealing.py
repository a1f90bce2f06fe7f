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


@lru_cache(maxsize=16)
def _key(secret: str, purpose: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=purpose).derive(secret.encode())
    return AESGCM(derived)


def seal(value: bytes, *, purpose: bytes, aad: bytes, secret: str) -> bytes:
    """12-byte nonce, then the ciphertext with its tag."""
    nonce = os.urandom(12)
    return nonce + _key(secret, purpose).encrypt(nonce, value, aad)


def unseal(sealed: bytes, *, purpose: bytes, aad: bytes, secret: str) -> bytes:
    return _key(secret, purpose).decrypt(sealed[:12], sealed[12:], aad)
