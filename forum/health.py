"""Liveness and readiness probes for the load balancer."""

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app, jsonify
from sqlalchemy import text

from forum.extensions import db


def init_app(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.get("/readyz")
    def readyz():
        migrate_ext = current_app.extensions["migrate"]
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                current = set(MigrationContext.configure(conn).get_current_heads())
        except Exception as exc:  # the probe reports the failure instead of raising it
            return jsonify(status="unavailable", database="unreachable",
                           detail=type(exc).__name__), 503
        script = ScriptDirectory.from_config(migrate_ext.migrate.get_config())
        expected = set(script.get_heads())
        if current != expected:
            return jsonify(status="unavailable", database="ok", schema="outdated",
                           current=sorted(current), expected=sorted(expected)), 503
        from forum.badges import keys

        if not keys.opens(db.session):
            # FORUM_KEY_ENCRYPTION_KEY changed without `flask forum rotate-kek`: badges
            # could not be signed, so this instance takes no traffic.
            return jsonify(status="unavailable", database="ok", keys="sealed_under_another_kek"
                           ), 503
        return jsonify(status="ok", database="ok", schema=sorted(current))
