"""Production secrets: a weak app secret or KEK stops the start; stored keys are sealed under
the KEK, re-sealed by ``flask forum rotate-kek``; development databases keep working."""

from __future__ import annotations

import secrets

import pyotp
import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import select

from forum import config, sealing
from forum.accounts import totp
from forum.accounts.models import Account
from forum.badges import keys
from forum.badges import service as badges
from forum.badges.models import EventKey
from forum.badges.tokens import decode_badge_token, event_tag

from . import factories
from .auth import make_account

PG = "postgresql+psycopg://forum@127.0.0.1/forum"
STRONG, OTHER = secrets.token_urlsafe(32), secrets.token_hex(32)


def _production(tmp_path, **env):
    return config.load(tmp_path, {"FORUM_ENV": "production", "FORUM_DATABASE_URL": PG, **env})


@pytest.mark.parametrize("weak", [
    "a", secrets.token_urlsafe(31), secrets.token_hex(31), "x" * 64,
    "abcdefghijklmnopqrstuvwxyz" + secrets.token_urlsafe(32),  # a keyboard run
    "correct horse battery staple and a long tail",  # a passphrase, not a generated secret
    "changeme-" + secrets.token_urlsafe(32), "ab" * 40,
])
def test_production_refuses_a_weak_secret_key(tmp_path, weak):
    with pytest.raises(config.ConfigError, match="FORUM_SECRET_KEY is too weak"):
        _production(tmp_path, FORUM_SECRET_KEY=weak, FORUM_KEY_ENCRYPTION_KEY=OTHER)


def test_production_needs_its_own_strong_key_encryption_key(tmp_path):
    with pytest.raises(config.ConfigError, match="FORUM_KEY_ENCRYPTION_KEY must be set"):
        _production(tmp_path, FORUM_SECRET_KEY=STRONG)
    with pytest.raises(config.ConfigError, match="FORUM_KEY_ENCRYPTION_KEY is too weak"):
        _production(tmp_path, FORUM_SECRET_KEY=STRONG, FORUM_KEY_ENCRYPTION_KEY="kek")
    with pytest.raises(config.ConfigError, match="must differ"):
        _production(tmp_path, FORUM_SECRET_KEY=STRONG, FORUM_KEY_ENCRYPTION_KEY=STRONG)
    loaded = _production(tmp_path, FORUM_SECRET_KEY=STRONG, FORUM_KEY_ENCRYPTION_KEY=OTHER)
    assert loaded["SECRET_KEY"] == STRONG and loaded["FORUM_KEY_ENCRYPTION_KEY"] == OTHER
    # Development needs neither (a generated secret in instance/, no KEK).
    assert config.load(tmp_path, {})["FORUM_KEY_ENCRYPTION_KEY"] is None


def test_generated_secrets_pass():
    from forum.keyring import weakness

    assert all(weakness(secrets.token_urlsafe(32)) is None for _ in range(2000))
    assert all(weakness(secrets.token_hex(32)) is None for _ in range(2000))


def _sealed_state(app, session, event):
    """A badge and a TOTP account, sealed under whatever the app seals with now."""
    person = factories.make_participant(session, event)
    token = badges.badge_token(session, badges.ensure_badge(session, person, now=factories.NOW))
    account = make_account(session, event=event)
    secret, _uri = totp.begin(session, account, now=factories.NOW)
    session.commit()
    return token, account.id, secret


def _verifies(session, event, token) -> bool:
    claims = decode_badge_token(token, public_keys=badges.public_keys(session, event),
                                event_tag=event_tag(event.id))
    return claims is not None


def _totp_works(session, account_id, secret) -> bool:
    account = session.get(Account, account_id)
    account.totp_last_step = None
    return totp.check(account, pyotp.TOTP(secret, interval=totp.STEP).at(factories.NOW),
                      now=factories.NOW)


def test_development_keeps_sealing_under_the_app_secret_as_before(app, session, event):
    # A development database from before the KEK: keys sealed under an HKDF of SECRET_KEY.
    assert app.config["FORUM_KEY_ENCRYPTION_KEY"] is None
    _sealed_state(app, session, event)
    key = session.scalar(select(EventKey))
    raw = sealing.unseal(bytes(key.private_key_sealed), purpose=keys._PURPOSE,
                         aad=keys._aad(key.event_id, key.kid), secret=app.config["SECRET_KEY"])
    assert keys.private_key(key).private_bytes_raw() == raw
    assert keys.opens(session)


def test_first_kek_then_rotation_reseals_every_stored_key(app, session, event, monkeypatch):
    token, account_id, secret = _sealed_state(app, session, event)
    runner = app.test_cli_runner()
    first, second = secrets.token_urlsafe(32), secrets.token_urlsafe(32)

    # A KEK set without re-sealing: the stored keys do not open, readiness says so.
    app.config["FORUM_KEY_ENCRYPTION_KEY"] = first
    assert not keys.opens(session)

    # The first KEK of an old database: the previous sealing secret was the app secret.
    monkeypatch.setenv("OLD_SEALING_SECRET", app.config["SECRET_KEY"])
    r = runner.invoke(args=["forum", "rotate-kek", "--old-key-env", "OLD_SEALING_SECRET"])
    assert r.exit_code == 0, r.output
    assert "badge signing keys: 1 re-sealed, 0 already" in r.output
    assert "TOTP secrets: 1 re-sealed, 0 already" in r.output
    session.expire_all()
    assert keys.opens(session)
    key = session.scalar(select(EventKey))
    with pytest.raises(InvalidTag):  # the app secret alone opens nothing now
        sealing.unseal(bytes(key.private_key_sealed), purpose=keys._PURPOSE,
                       aad=keys._aad(key.event_id, key.kid), secret=app.config["SECRET_KEY"])
    assert _verifies(session, event, token) and _totp_works(session, account_id, secret)
    # Running it again changes nothing.
    again = runner.invoke(args=["forum", "rotate-kek", "--old-key-env", "OLD_SEALING_SECRET"])
    assert "badge signing keys: 0 re-sealed, 1 already" in again.output

    # A wrong previous KEK: refused, nothing re-sealed.
    sealed_before = bytes(key.private_key_sealed)
    app.config["FORUM_KEY_ENCRYPTION_KEY"] = second
    monkeypatch.setenv("OLD_SEALING_SECRET", secrets.token_urlsafe(32))
    wrong = runner.invoke(args=["forum", "rotate-kek", "--old-key-env", "OLD_SEALING_SECRET"])
    assert wrong.exit_code != 0 and "nothing changed" in wrong.output
    session.expire_all()
    assert bytes(session.scalar(select(EventKey)).private_key_sealed) == sealed_before

    # A rotation from the first KEK to the second.
    monkeypatch.setenv("OLD_SEALING_SECRET", first)
    r = runner.invoke(args=["forum", "rotate-kek", "--old-key-env", "OLD_SEALING_SECRET"])
    assert r.exit_code == 0 and "badge signing keys: 1 re-sealed" in r.output
    session.expire_all()
    assert keys.opens(session)
    assert _verifies(session, event, token) and _totp_works(session, account_id, secret)
    # New badges are signed with the re-sealed key.
    other = factories.make_participant(session, event)
    assert _verifies(session, event, badges.badge_token(
        session, badges.ensure_badge(session, other, now=factories.NOW)))
    missing = runner.invoke(args=["forum", "rotate-kek", "--old-key-env", "NOT_SET_ANYWHERE"])
    assert missing.exit_code != 0 and "NOT_SET_ANYWHERE is not set" in missing.output
