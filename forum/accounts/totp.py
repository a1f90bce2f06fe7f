"""Two-factor sign-in with time-based one-time codes (RFC 6238, through pyotp).

The secret is sealed at rest (forum.sealing). A code is accepted once: the time step it
matched is remembered, so a code seen over someone's shoulder cannot be replayed.
"""

from __future__ import annotations

from datetime import datetime

import pyotp
from cryptography.exceptions import InvalidTag
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from forum import keyring, sealing
from forum.accounts import errors as codes
from forum.accounts import passwords
from forum.accounts.models import Account
from forum.audit import service as audit
from forum.errors import Conflict, ValidationFailed

_PURPOSE = b"forum staff totp secrets v1"
ISSUER = "Digital Bridge"
STEP = 30  # seconds per code


def _secret_key() -> str:
    return keyring.key_encryption_key(current_app.config)  # the KEK (forum.keyring)


def _aad(account: Account) -> bytes:
    return f"account:{account.public_id}".encode()


def _secret(account: Account) -> str:
    assert account.totp_secret_sealed is not None
    return sealing.unseal(bytes(account.totp_secret_sealed), purpose=_PURPOSE, aad=_aad(account),
                          secret=_secret_key()).decode()


def enabled(account: Account) -> bool:
    return account.totp_enabled_at is not None


def begin(session: Session, account: Account, *, now: datetime) -> tuple[str, str]:
    """A new secret, not yet in force: (base32 secret, otpauth:// URI for an authenticator)."""
    if enabled(account):
        raise Conflict("Two-factor sign-in is already on; turn it off first.",
                       code="totp_already_enabled")
    secret = pyotp.random_base32()
    account.totp_secret_sealed = sealing.seal(secret.encode(), purpose=_PURPOSE,
                                              aad=_aad(account), secret=_secret_key())
    uri = pyotp.TOTP(secret, interval=STEP).provisioning_uri(name=account.email,
                                                           issuer_name=ISSUER)
    return secret, uri


def check(account: Account, code: str, *, now: datetime) -> bool:
    """Whether ``code`` is the account's current code (±1 step of clock drift), once."""
    if account.totp_secret_sealed is None or not code.isdigit():
        return False
    totp = pyotp.TOTP(_secret(account), interval=STEP)
    step = int(now.timestamp()) // STEP
    for candidate in (step, step - 1, step + 1):
        if account.totp_last_step is not None and candidate <= account.totp_last_step:
            continue
        if totp.at(candidate * STEP) == code:
            account.totp_last_step = candidate
            return True
    return False


def confirm(session: Session, account: Account, code: str, *, now: datetime) -> None:
    """The first right code from the authenticator turns two-factor sign-in on."""
    if account.totp_secret_sealed is None or enabled(account):
        raise Conflict("Start the set-up first.", code="totp_not_started")
    if not check(account, code, now=now):
        raise ValidationFailed("The code is not right; check the phone's clock.",
                               code=codes.INVALID_TOTP, errors={"code": ["Wrong code."]})
    account.totp_enabled_at = now
    audit.record(session, actor=f"account:{account.public_id}", action="account.totp_on",
                 target_type="account", target_id=account.public_id, now=now)


def turn_off(session: Session, account: Account, *, password: str, required: bool,
             now: datetime) -> None:
    """The account's owner turns it off, proving it is them with the password; not when
    it is ``required`` for the account (an admin resets a lost authenticator instead)."""
    if not passwords.verify(account.password_hash, password)[0]:
        raise ValidationFailed("Wrong password.", code=codes.INVALID_CREDENTIALS,
                               errors={"password": ["Wrong password."]})
    if required:
        raise Conflict("Two-factor sign-in is required for this account; an admin can reset "
                       "it if the authenticator is lost.", code=codes.TOTP_MANDATORY)
    disable(session, account, now=now, actor=f"account:{account.public_id}")


def disable(session: Session, account: Account, *, now: datetime, actor: str) -> None:
    """Off (the owner, or an admin resetting a lost authenticator)."""
    account.totp_secret_sealed = None
    account.totp_enabled_at = None
    account.totp_last_step = None
    audit.record(session, actor=actor, action="account.totp_off", target_type="account",
                 target_id=account.public_id, now=now)


def reseal_all(session: Session, *, old: str, new: str) -> tuple[int, int]:
    """Seal every stored TOTP secret under ``new``: (re-sealed, already under ``new``)."""
    resealed = already = 0
    rows = session.scalars(select(Account).where(Account.totp_secret_sealed.is_not(None))
                           .order_by(Account.id))
    for account in rows:
        sealed, aad = bytes(account.totp_secret_sealed), _aad(account)
        try:
            sealing.unseal(sealed, purpose=_PURPOSE, aad=aad, secret=new)
            already += 1
            continue
        except InvalidTag:
            raw = sealing.unseal(sealed, purpose=_PURPOSE, aad=aad, secret=old)
        account.totp_secret_sealed = sealing.seal(raw, purpose=_PURPOSE, aad=aad, secret=new)
        resealed += 1
    session.flush()
    return resealed, already
