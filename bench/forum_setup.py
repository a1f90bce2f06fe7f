"""Prepares and inspects the forum's database for a scenario; run by bench/run.py.

``python -m bench.forum_setup <command> …`` with ``FORUM_DATABASE_URL`` set. Each command prints
one JSON object on its last line of output.
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from forum import clock, create_app
from forum.events.models import Category, Event
from forum.extensions import db
from forum.organizations.models import Company, Delegation
from forum.registration.models import Participant, Status


def _check_schema() -> dict:
    """The benchmark measures the migrated schema; stop if the migrations lag the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from forum.registration.search_index import include_name

    with db.engine.connect() as conn:
        # As the migration test does: the search index is not described by the models.
        diffs = compare_metadata(MigrationContext.configure(
            conn, opts={"include_name": include_name}), db.metadata)
    if diffs:
        raise SystemExit("migrations differ from the models: " + "; ".join(
            str(d)[:160] for d in diffs[:10]))
    return {"schema": "migrations"}


def prepare_registration(slug: str, attendee_quota: int | None) -> dict:
    """An open registration window and a quota on the attendee category."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise SystemExit(f"no event {slug} (the demo command creates it)")
    now = clock.now()
    # The rush happens while registration is open, whatever day the demo chose.
    event.registration_opens_at = now - timedelta(days=1)
    event.registration_closes_at = now + timedelta(days=30)
    attendee = db.session.scalar(
        select(Category).where(Category.event_id == event.id, Category.slug == "attendee"))
    if attendee is None:
        raise SystemExit(f"event {slug} has no attendee category")
    if attendee_quota is not None:
        attendee.quota = attendee.taken + attendee_quota
    db.session.commit()
    return {"event": slug, "event_quota": event.quota,
            "attendee_quota": attendee.quota, "attendee_taken_before": attendee.taken}


def verify_registration(slug: str, email_prefix: str) -> dict:
    """Integrity after the rush: unique emails, no pool over quota, seats match confirmations."""
    session = db.session
    event = session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise SystemExit(f"no event {slug}")
    duplicates = session.execute(
        select(Participant.email, func.count())
        .where(Participant.event_id == event.id)
        .group_by(Participant.email)
        .having(func.count() > 1)
    ).all()
    confirmed = Participant.status == Status.CONFIRMED
    problems: list[str] = []

    def check_pool(label: str, pool, holders: int) -> None:
        if pool.quota is not None and pool.taken > pool.quota:
            problems.append(f"{label}: taken {pool.taken} > quota {pool.quota}")
        if holders != pool.taken:
            problems.append(f"{label}: {holders} confirmed holders but taken = {pool.taken}")

    def holders(column, value) -> int:
        return session.scalar(select(func.count()).select_from(Participant).where(
            Participant.event_id == event.id, confirmed, column == value)) or 0

    check_pool(f"event {slug}", event, holders(Participant.event_id, event.id))
    categories = session.scalars(select(Category).where(Category.event_id == event.id)).all()
    for category in categories:
        check_pool(f"category {category.slug}", category,
                   holders(Participant.category_id, category.id))
    for pool_cls, column in ((Delegation, Participant.delegation_id),
                             (Company, Participant.company_id)):
        for pool in session.scalars(select(pool_cls).where(pool_cls.event_id == event.id)):
            check_pool(f"{pool_cls.__tablename__} {pool.id}", pool, holders(column, pool.id))

    by_status = dict(session.execute(
        select(Participant.status, func.count())
        .where(Participant.event_id == event.id, Participant.email.startswith(email_prefix))
        .group_by(Participant.status)
    ).all())
    attendee = next(c for c in categories if c.slug == "attendee")
    return {
        "duplicate_emails": len(duplicates),
        "pool_problems": problems,
        "measured_run": {str(status): n for status, n in by_status.items()},
        "measured_run_total": sum(by_status.values()),
        "participants_total": session.scalar(select(func.count()).select_from(Participant)
                                             .where(Participant.event_id == event.id)),
        "attendee_quota": attendee.quota,
        "attendee_taken": attendee.taken,
        "ok": not duplicates and not problems,
    }


def prepare_checkin(slug: str, gate_slug: str, scanners: int, codes_out: Path,
                    tokens_out: Path) -> dict:
    """Zones and gates, a badge per confirmed participant, scanner tokens; writes codes/tokens."""
    from forum.badges.models import Badge
    from forum.badges.service import ensure_badges, token_signer
    from forum.checkin import devices
    from forum.checkin.demo import setup_demo_zones

    session = db.session
    now = clock.now()
    event = session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise SystemExit(f"no event {slug}")
    setup_demo_zones(session, event, now=now)
    gate = devices.get_gate(session, event, gate_slug)
    issued = ensure_badges(session, event, now=now)
    sign = token_signer(session, event.id, now=now)
    rows = session.execute(
        select(Badge.serial, Badge.revision, Badge.category_id)
        .join(Participant, Participant.id == Badge.participant_id)
        .where(Badge.event_id == event.id, Badge.revoked_at.is_(None),
               Participant.status == Status.CONFIRMED)).all()
    codes = [sign(serial, revision, category) for serial, revision, category in rows]
    # Arrival order at a gate has nothing to do with badge order.
    random.Random(2026).shuffle(codes)
    tokens = [devices.issue(session, gate=gate, name=f"bench scanner {n + 1}", now=now,
                            actor="bench")[1] for n in range(scanners)]
    session.commit()
    codes_out.write_text("\n".join(codes) + "\n")
    tokens_out.write_text("\n".join(tokens) + "\n")
    return {"gate": gate_slug, "badges_issued": issued, "codes": len(codes),
            "scanners": scanners}


def verify_checkin(slug: str, nonce_prefix: str) -> dict:
    """After the scans: nobody admitted twice through the entry, outcomes of the measured run."""
    from forum.checkin.models import Checkin, Direction, Outcome

    session = db.session
    event = session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise SystemExit(f"no event {slug}")
    admitted_twice = session.execute(
        select(Checkin.participant_id, Checkin.zone_id, func.count())
        .where(Checkin.event_id == event.id, Checkin.outcome == Outcome.OK,
               Checkin.direction == Direction.ENTRY)
        .group_by(Checkin.participant_id, Checkin.zone_id)
        .having(func.count() > 1)).all()
    by_outcome = dict(session.execute(
        select(Checkin.outcome, func.count())
        .where(Checkin.event_id == event.id, Checkin.nonce.startswith(nonce_prefix))
        .group_by(Checkin.outcome)).all())
    return {"admitted_twice": len(admitted_twice),
            "measured_run": {str(outcome): n for outcome, n in by_outcome.items()},
            "measured_run_total": sum(by_outcome.values()),
            "ok": not admitted_twice}


def prepare_program(slug: str, body_out: Path) -> dict:
    """The public program's answer as clients get it (English, no filter): its bytes go to
    ``body_out`` for the reference app, its ETag is returned for revalidations."""
    from forum.program.models import ScheduleVersion

    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise SystemExit(f"no event {slug}")
    versions = db.session.scalar(select(func.count()).select_from(ScheduleVersion)
                                 .where(ScheduleVersion.event_id == event.id))
    if not versions:
        raise SystemExit(f"event {slug} has no published program (the demo command makes one)")
    answer = current_app.test_client().get(f"/api/v1/events/{slug}/program",
                                           headers={"Accept-Language": "en"})
    if answer.status_code != 200:
        raise SystemExit(f"the program answered {answer.status_code}")
    body = answer.get_data()
    body_out.write_bytes(body)
    again = current_app.test_client().get(f"/api/v1/events/{slug}/program",
                                          headers={"Accept-Language": "en",
                                                   "If-None-Match": answer.headers["ETag"]})
    return {"etag": answer.headers["ETag"], "program_bytes": len(body),
            "program_sessions": len(answer.get_json()["sessions"]),
            "revalidation_status": again.status_code}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.forum_setup")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("schema")
    prep = sub.add_parser("prepare-registration")
    prep.add_argument("--event", default="digital-bridge")
    prep.add_argument("--attendee-quota", type=int, default=None)
    verify = sub.add_parser("verify-registration")
    verify.add_argument("--event", default="digital-bridge")
    verify.add_argument("--email-prefix", required=True,
                        help="counts the statuses of the registrations whose email starts so")
    prep_checkin = sub.add_parser("prepare-checkin")
    prep_checkin.add_argument("--event", default="digital-bridge")
    prep_checkin.add_argument("--gate", default="main-entrance")
    prep_checkin.add_argument("--scanners", type=int, default=32)
    prep_checkin.add_argument("--codes-out", type=Path, required=True)
    prep_checkin.add_argument("--tokens-out", type=Path, required=True)
    verify_scans = sub.add_parser("verify-checkin")
    verify_scans.add_argument("--event", default="digital-bridge")
    verify_scans.add_argument("--nonce-prefix", required=True)
    prep_program = sub.add_parser("prepare-program")
    prep_program.add_argument("--event", default="digital-bridge")
    prep_program.add_argument("--body-out", type=Path, required=True)
    args = parser.parse_args()

    app = create_app()
    with app.app_context():
        if args.command == "schema":
            result = _check_schema()
        elif args.command == "prepare-registration":
            result = prepare_registration(args.event, args.attendee_quota)
        elif args.command == "verify-registration":
            result = verify_registration(args.event, args.email_prefix)
        elif args.command == "prepare-checkin":
            result = prepare_checkin(args.event, args.gate, args.scanners, args.codes_out,
                                     args.tokens_out)
        elif args.command == "prepare-program":
            result = prepare_program(args.event, args.body_out)
        else:
            result = verify_checkin(args.event, args.nonce_prefix)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
