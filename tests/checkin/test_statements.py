"""What a scan costs the database, on SQLite and PostgreSQL: an admitted entry is three
statements once the scanner is known (the badge, the scan, the admission); a retry and a
second entry are answered from what is stored."""

from __future__ import annotations

import uuid

from sqlalchemy import event as sa_event

from forum.badges import service as badges
from forum.checkin import devices
from forum.checkin.demo import setup_demo_zones
from forum.extensions import db

from .. import factories
from .conftest import scan


def _statements(engine, call):
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            seen.append(statement.split(None, 1)[0].upper())

    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        answer = call()
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    return answer, seen


def test_an_admitted_scan_is_three_statements_and_a_retry_writes_nothing(any_app):
    session = db.session
    event = factories.make_event(session, slug="digital-bridge")
    gates = setup_demo_zones(session, event, now=factories.NOW)
    _device, token = devices.issue(session, gate=gates["main-entrance"], name="lane 1",
                                   now=factories.NOW, actor="test")
    codes = []
    for _ in range(2):
        participant = factories.make_participant(session, event, category="attendee")
        codes.append(badges.badge_token(session, badges.ensure_badge(session, participant,
                                                                     now=factories.NOW)))
    session.commit()
    client = any_app.test_client()
    assert scan(client, token, codes[0]).get_json()["status"] == "ok"  # the device is known now

    nonce = str(uuid.uuid4())
    first, statements = _statements(db.engine, lambda: scan(client, token, codes[1],
                                                            nonce=nonce))
    assert first.get_json()["status"] == "ok"
    assert statements == ["SELECT", "INSERT", "INSERT"], statements

    again, statements = _statements(db.engine, lambda: scan(client, token, codes[1],
                                                            nonce=nonce))
    assert again.get_json() == first.get_json()
    assert "UPDATE" not in statements and statements.count("INSERT") == 1  # did nothing

    second, statements = _statements(db.engine, lambda: scan(client, token, codes[1]))
    body = second.get_json()
    assert body["status"] == "already_checked_in"
    assert body["first_checkin"]["gate"] == "main-entrance"
    assert statements.count("INSERT") == 2 and statements.count("UPDATE") == 1
