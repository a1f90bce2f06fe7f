"""All settings come from ``FORUM_*`` environment variables, read here and nowhere else."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from forum import keyring


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _instance_secret(instance_path: Path, name: str) -> str:
    """Read a generated secret from ``instance/``, creating it on first run."""
    instance_path.mkdir(parents=True, exist_ok=True)
    path = instance_path / name
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


class ConfigError(RuntimeError):
    """Raised at start-up when production settings are incomplete."""


def _require_strong(name: str, value: str) -> None:
    reason = keyring.weakness(value)
    if reason is not None:
        raise ConfigError(f"{name} is too weak for production: {reason}. Generate one: "
                          f"{keyring.generate_hint()}")


def load(instance_path: Path, environ: dict[str, str] | None = None) -> dict[str, object]:
    """Build the Flask config mapping from the environment."""
    env = os.environ if environ is None else environ
    production = env.get("FORUM_ENV", "development") == "production"

    secret = env.get("FORUM_SECRET_KEY")
    if not secret:
        if production:
            raise ConfigError("FORUM_SECRET_KEY must be set when FORUM_ENV=production")
        secret = _instance_secret(instance_path, "secret_key")
    # Seals the keys stored in the database; development falls back to the app secret.
    kek = env.get("FORUM_KEY_ENCRYPTION_KEY") or None
    if production:
        _require_strong("FORUM_SECRET_KEY", secret)
        if not kek:
            raise ConfigError("FORUM_KEY_ENCRYPTION_KEY must be set when FORUM_ENV=production "
                              f"(generate one: {keyring.generate_hint()})")
        _require_strong("FORUM_KEY_ENCRYPTION_KEY", kek)
        if kek == secret:
            raise ConfigError("FORUM_KEY_ENCRYPTION_KEY must differ from FORUM_SECRET_KEY")

    db_url = env.get("FORUM_DATABASE_URL") or f"sqlite:///{instance_path / 'forum.db'}"
    allow_sqlite = _bool(env.get("FORUM_ALLOW_SQLITE"), False)
    if production and db_url.startswith("sqlite") and not allow_sqlite:
        # SQLite is the embedded default for laptops; a production deployment states it wants it.
        raise ConfigError("FORUM_DATABASE_URL must name PostgreSQL in production "
                          "(or set FORUM_ALLOW_SQLITE=1)")

    # memory:// counts per process: with two workers each limit lets twice its number through.
    limiter_storage = env.get("FORUM_RATELIMIT_STORAGE_URI") or \
        f"forum-sqlite:///{instance_path / 'rate_limits.db'}"
    if production and limiter_storage.startswith("memory:"):
        raise ConfigError("FORUM_RATELIMIT_STORAGE_URI=memory:// counts in each worker apart; "
                          "production needs redis://… (several hosts) or the default "
                          "forum-sqlite:///… file (the workers of one host)")

    return {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": secret,
        "FORUM_KEY_ENCRYPTION_KEY": kek,
        "SQLALCHEMY_DATABASE_URI": db_url,
        "SQLALCHEMY_ECHO": _bool(env.get("FORUM_SQL_ECHO"), False),
        "FORUM_DEFAULT_TIMEZONE": env.get("FORUM_DEFAULT_TIMEZONE", "Asia/Almaty"),
        "FORUM_PUBLIC_URL": env.get("FORUM_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
        # Rate limits (Flask-Limiter syntax), counted once for all workers (forum.limits).
        "RATELIMIT_ENABLED": _bool(env.get("FORUM_RATELIMIT_ENABLED"), True),
        "RATELIMIT_STORAGE_URI": limiter_storage,
        "RATELIMIT_HEADERS_ENABLED": True,
        "FORUM_REGISTRATION_RATE_LIMIT": env.get("FORUM_REGISTRATION_RATE_LIMIT",
                                                 "10 per minute;100 per hour"),
        "FORUM_LOGIN_RATE_LIMIT": env.get("FORUM_LOGIN_RATE_LIMIT", "10 per minute"),
        # Stored 201 answers are replayed for retries within this many hours.
        "FORUM_IDEMPOTENCY_TTL_HOURS": int(env.get("FORUM_IDEMPOTENCY_TTL_HOURS", "24")),
        "FORUM_SCAN_MAX_AGE_HOURS": int(env.get("FORUM_SCAN_MAX_AGE_HOURS", "72")),
        # Days after which personal data is erased by `forum purge`: registrations organizers
        # cancelled or rejected that long ago, and whole editions that ended that long ago.
        "FORUM_RETENTION_DAYS": int(env.get("FORUM_RETENTION_DAYS", "90")),
        # How long an organizer's API token lives.
        "FORUM_SESSION_TOKEN_HOURS": int(env.get("FORUM_SESSION_TOKEN_HOURS", "12")),
        "FORUM_TRUST_PROXY": int(env.get("FORUM_TRUST_PROXY", "0")),
        # argon2id cost of staff passwords (64 MiB and 3 passes: about 0.2 s on one core).
        "FORUM_PASSWORD_HASH_MEMORY_KIB": int(env.get("FORUM_PASSWORD_HASH_MEMORY_KIB", "65536")),
        "FORUM_PASSWORD_HASH_TIME_COST": int(env.get("FORUM_PASSWORD_HASH_TIME_COST", "3")),
        # Failed sign-ins in a row before an account is locked; the lock doubles each time.
        "FORUM_LOGIN_LOCKOUT_AFTER": int(env.get("FORUM_LOGIN_LOCKOUT_AFTER", "5")),
        "FORUM_LOGIN_LOCKOUT_MINUTES": int(env.get("FORUM_LOGIN_LOCKOUT_MINUTES", "1")),
        # Every account whose role sees personal data must sign in with a TOTP code too (an
        # admin can also require it of one account).
        "FORUM_TOTP_REQUIRED": _bool(env.get("FORUM_TOTP_REQUIRED"), False),
        # The panel's session cookie is Secure unless running in development over plain HTTP.
        "SESSION_COOKIE_SECURE": production,
        # flask-smorest / OpenAPI
        "API_TITLE": "Digital Bridge forum API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "MAX_CONTENT_LENGTH": int(env.get("FORUM_MAX_CONTENT_LENGTH", str(5 * 1024 * 1024))),
        **_mail(env),
    }


def _mail(env) -> dict[str, object]:
    """The outbox worker's SMTP server and pace; with no host, messages wait in the outbox."""
    security = env.get("FORUM_SMTP_SECURITY", "starttls").strip().lower()
    if security not in ("none", "starttls", "tls"):
        raise ConfigError("FORUM_SMTP_SECURITY must be none, starttls or tls")
    return {
        "FORUM_SMTP_HOST": env.get("FORUM_SMTP_HOST", ""),
        "FORUM_SMTP_PORT": int(env.get("FORUM_SMTP_PORT", "465" if security == "tls" else "587")),
        "FORUM_SMTP_SECURITY": security,
        "FORUM_SMTP_USER": env.get("FORUM_SMTP_USER", ""),
        "FORUM_SMTP_PASSWORD": env.get("FORUM_SMTP_PASSWORD", ""),
        "FORUM_SMTP_TIMEOUT": float(env.get("FORUM_SMTP_TIMEOUT", "30")),
        "FORUM_MAIL_FROM": env.get("FORUM_MAIL_FROM", "Digital Bridge <noreply@localhost>"),
        "FORUM_MAIL_RATE": float(env.get("FORUM_MAIL_RATE", "10")),  # messages per second
        "FORUM_MAIL_MAX_ATTEMPTS": int(env.get("FORUM_MAIL_MAX_ATTEMPTS", "8")),
        # Days a sent message's text is kept (readable in the panel), then emptied.
        "FORUM_MAIL_KEEP_DAYS": int(env.get("FORUM_MAIL_KEEP_DAYS", "14")),
        # Webhooks: each POST's timeout, and whether endpoints may lie in loopback, private
        # or link-local networks (development and tests only; production refuses them).
        "FORUM_WEBHOOK_TIMEOUT": float(env.get("FORUM_WEBHOOK_TIMEOUT", "10")),
        "FORUM_WEBHOOK_ALLOW_PRIVATE": env.get("FORUM_WEBHOOK_ALLOW_PRIVATE", "0") == "1",
        "FORUM_RECOVERY_RATE_LIMIT": env.get("FORUM_RECOVERY_RATE_LIMIT",
                                             "5 per minute;20 per hour"),
    }
