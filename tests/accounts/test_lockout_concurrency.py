"""Failed sign-ins arriving at once (several workers, one account) are all counted: the
lockout cannot be outrun by guessing in parallel. Real threads on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from forum.accounts import service as accounts
from forum.accounts.models import Account
from forum.audit.models import AuditEntry
from forum.extensions import db

from ..auth import make_account
from ..factories import NOW, make_event

GUESSES = 8


def test_parallel_wrong_passwords_all_count(any_app):
    session = db.session
    event = make_event(session)
    account = make_account(session, event=event)
    account_id, email = account.id, account.email
    session.remove()
    barrier = threading.Barrier(GUESSES)
    errors: list[BaseException] = []

    def guess(n: int) -> None:
        with any_app.app_context():
            try:
                barrier.wait(timeout=30)
                accounts.login(db.session, email=email, password=f"guess {n}", now=NOW,
                               lifetime=timedelta(hours=1), address="10.0.0.7",
                               lockout=accounts.Lockout(after=GUESSES, minutes=1))
                db.session.commit()
            except BaseException as exc:  # reported below, in the test's thread
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(GUESSES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    stored = session.get(Account, account_id)
    assert stored.failed_logins == GUESSES
    assert stored.locked_until == NOW + timedelta(minutes=1)  # the eighth failure locked it
    failed = session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "account.login_failed"))
    assert failed == GUESSES
