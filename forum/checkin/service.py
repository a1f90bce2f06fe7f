"""The check-in rule: one scan in, one stored outcome out; the admission guard under locks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from forum.audit import service as audit
from forum.badges.models import Badge
from forum.badges.tokens import TokenInvalid, TokenWrongEvent, decode_badge_token
from forum.checkin import rooms, rule
from forum.checkin.devices import DeviceContext
from forum.checkin.errors import annul_window_passed, gate_mismatch, scan_time_refused
from forum.checkin.models import Checkin, Direction, Gate, Outcome, ZoneAdmission
from forum.db import opaque_id
from forum.errors import Forbidden, NotFound
from forum.events.models import Category
from forum.organizations.models import Delegation
from forum.registration.models import Participant, Status
from forum.webhooks import emit as webhooks

ANNUL_WINDOW = timedelta(minutes=15)
# How far back a scan's own time may lie (offline scans keep their real time): the app passes
# FORUM_SCAN_MAX_AGE_HOURS; how far ahead a device's clock may run before a scan is refused
# (within it, the time is clamped to the server's now).
SCAN_MAX_AGE = timedelta(hours=72)
CLOCK_SKEW = timedelta(minutes=5)

# The hot path runs these prebuilt Core statements on the session's connection: compiled and
# cache-keyed once, no ORM unit of work, one short transaction per scan.
_checkin_table = Checkin.__table__
_admission_table = ZoneAdmission.__table__
_c, _a = _checkin_table.c, _admission_table.c
_b, _p = Badge.__table__.c, Participant.__table__.c
_cat, _del, _g = Category.__table__.c, Delegation.__table__.c, Gate.__table__.c

_STORED = select(_c.public_id, _c.outcome, _c.participant_id, _c.first_checkin_id,
                 _c.scanned_at, _c.conflict).where(
    _c.device_id == bindparam("device_id"), _c.nonce == bindparam("nonce"))
_BADGE = (
    select(_b.id, _b.revision, _b.revoked_at, _p.id, _p.status, _cat.slug,
           (_del.head_email == _p.email).label("head"), _p.first_name, _p.last_name,
           _cat.names, _p.organization, _p.country, _p.public_id)
    .select_from(Badge.__table__.join(Participant.__table__, _b.participant_id == _p.id)
                 .join(Category.__table__, _p.category_id == _cat.id)
                 .outerjoin(Delegation.__table__, _p.delegation_id == _del.id))
    .where(_b.event_id == bindparam("event_id"), _b.serial == bindparam("serial"))
)
# Serialises scans of one badge on PostgreSQL; SQLite already holds the write lock.
_BADGE_LOCKED = _BADGE.with_for_update(of=Badge.__table__)
_HELD = (
    select(_a.checkin_id, _c.scanned_at, _g.slug, _c.device_id)
    .select_from(_admission_table.join(_checkin_table, _a.checkin_id == _c.id)
                 .join(Gate.__table__, _c.gate_id == _g.id))
    .where(_a.zone_id == bindparam("zone_id"), _a.badge_id == bindparam("badge_id"),
           _a.day == bindparam("day"))
)
# A scan is written first and decides on conflict: a nonce stored already is a retry (the
# insert does nothing and the stored answer is replayed), an admission held already makes
# the entry already_checked_in. An admitted scan is thus three statements: the badge, the
# scan and the admission, with no look-up before either insert.
_DIALECT_INSERTS = {"sqlite": sqlite_insert, "postgresql": pg_insert}
_INSERT_CHECKIN = {
    name: dialect_insert(_checkin_table).on_conflict_do_nothing(
        index_elements=["device_id", "nonce"]).returning(_c.id)
    for name, dialect_insert in _DIALECT_INSERTS.items()}
_INSERT_ADMISSION = {
    name: dialect_insert(_admission_table).on_conflict_do_nothing().returning(_a.checkin_id)
    for name, dialect_insert in _DIALECT_INSERTS.items()}
_DENY_ENTRY = update(_checkin_table).where(_c.id == bindparam("checkin_id")).values(
    outcome=Outcome.ALREADY_CHECKED_IN, first_checkin_id=bindparam("first_id"),
    conflict=bindparam("conflicted"))
_RELEASE = delete(_admission_table).where(
    _a.zone_id == bindparam("zone_id"), _a.badge_id == bindparam("badge_id"),
    _a.day == bindparam("day"))
_DISPLAY_QUERY = (
    select(Participant.first_name, Participant.last_name, Category.slug, Category.names,
           Participant.organization, Participant.country)
    .join(Category, Participant.category_id == Category.id)
)


@dataclass(slots=True)
class ScanResult:
    """The answer to a scan, as stored: the same nonce always gets the same one."""

    status: Outcome
    checkin: dict[str, Any]
    participant: dict[str, Any] | None = None
    first_checkin: dict[str, Any] | None = None
    conflict: bool = False
    nonce: str = ""


def _display_of(first: str, last: str, category: str, names: dict[str, str],
                organization: str, country: str) -> dict[str, Any]:
    return {"display_name": f"{first} {last}", "category": category,
            "category_name": names.get("en") or category, "organization": organization,
            "country": country, "photo_url": None}


def display(session: Session, participant_id: int | None) -> dict[str, Any] | None:
    """What the guard sees: name, category, organization, country (no photo stored yet)."""
    if participant_id is None:
        return None
    row = session.execute(_DISPLAY_QUERY.where(Participant.id == participant_id)).first()
    return _display_of(*row) if row is not None else None


def _replay(session: Session, device: DeviceContext, row: Any, nonce: str) -> ScanResult:
    first = None
    if row.first_checkin_id is not None:
        at, gate = session.execute(
            select(Checkin.scanned_at, Gate.slug).join(Gate, Checkin.gate_id == Gate.id)
            .where(Checkin.id == row.first_checkin_id)).one()
        first = {"at": at, "gate": gate}
    return ScanResult(
        status=row.outcome, participant=display(session, row.participant_id),
        first_checkin=first, conflict=row.conflict, nonce=nonce,
        checkin={"id": row.public_id, "gate": device.gate_slug, "zone": device.zone.slug,
                 "scanned_at": row.scanned_at, "direction": device.direction})


def scan(session: Session, device: DeviceContext, *, code: str, gate: str, nonce: str,
         scanned_at: datetime | None, now: datetime, offline: bool = False,
         local_status: Outcome | None = None,
         max_age: timedelta = SCAN_MAX_AGE) -> ScanResult:
    """Decide and record one scan; denied scans are stored outcomes, not errors. A retry
    (the same device and nonce) gets the answer it had then, whatever its time."""
    if gate != device.gate_slug:
        raise gate_mismatch(gate, device.gate_slug)
    conn = session.connection()
    problem = scan_time_problem(scanned_at, now=now, max_age=max_age)
    if problem is not None:
        if (stored := _stored(conn, device, nonce)) is not None:
            return _replay(session, device, stored, nonce)
        raise scan_time_refused({"scanned_at": [problem]})

    # A scan cannot happen after it arrived; a device clock running fast is clamped.
    moment = min(scanned_at, now) if scanned_at is not None else now
    day = moment.astimezone(device.timezone).date()
    zone = device.zone
    values: dict[str, Any] = {"badge_id": None, "participant_id": None, "serial": None,
                              "revision": None, "first_checkin_id": None}
    person: dict[str, Any] | None = None
    registration: str | None = None  # the badge holder's public id, for webhooks
    try:
        claims = decode_badge_token(code, public_keys=lambda kid: device.key_for(session, kid),
                                    event_tag=device.event_tag)
    except TokenWrongEvent as exc:
        outcome, claims = Outcome.WRONG_EVENT, None
        values.update(serial=exc.claims.serial, revision=exc.claims.revision)
    except TokenInvalid:
        outcome, claims = Outcome.INVALID, None
    if claims is not None:
        values.update(serial=claims.serial, revision=claims.revision)
        badge = conn.execute(_BADGE if conn.dialect.name == "sqlite" else _BADGE_LOCKED,
                             {"event_id": device.event_id, "serial": claims.serial}).first()
        outcome = _decide(session, device, claims.revision, badge, day, moment)
        if badge is not None:
            values.update(badge_id=badge[0], participant_id=badge[3])
            person = _display_of(badge[7], badge[8], badge[5], badge[9], badge[10], badge[11])
            registration = badge[12]

    public_id = opaque_id()
    checkin_id = conn.execute(_INSERT_CHECKIN[conn.dialect.name], {
        "public_id": public_id, "event_id": device.event_id, "device_id": device.device_id,
        "gate_id": device.gate_id, "zone_id": zone.zone_id, "direction": device.direction,
        "nonce": nonce, "outcome": outcome, "scanned_at": moment, "received_at": now,
        "event_day": day, "offline": offline, "conflict": False, "annulled_at": None,
        "annulled_by": None, **values}).scalar()
    if checkin_id is None:  # the nonce was stored already: a retry
        return _replay(session, device, _stored(conn, device, nonce), nonce)
    first, conflict = None, False
    if outcome is Outcome.OK:
        outcome, first, conflict = _enter_or_leave(conn, device, values["badge_id"], day,
                                                   checkin_id, offline, local_status)
    if outcome is Outcome.OK and device.checkin_webhooks:
        webhooks.enqueue(session, device.checkin_webhooks, event_id=device.event_id,
                         event_type="checkin.created", now=now,
                         data={"event": device.event_slug, "registration": registration or "",
                               "checkin": public_id, "direction": device.direction.value})
    return ScanResult(
        status=outcome, participant=person, first_checkin=first, conflict=conflict, nonce=nonce,
        checkin={"id": public_id, "gate": device.gate_slug, "zone": zone.slug,
                 "scanned_at": moment, "direction": device.direction})


def _stored(conn: Any, device: DeviceContext, nonce: str) -> Any:
    return conn.execute(_STORED, {"device_id": device.device_id, "nonce": nonce}).first()


def _enter_or_leave(conn: Any, device: DeviceContext, badge_id: int, day, checkin_id: int,
                    offline: bool, local_status: Outcome | None
                    ) -> tuple[Outcome, dict[str, Any] | None, bool]:
    """An admitted scan's effect on the zone: an exit frees the badge's admission; an entry
    takes it, unless it is held already (the scan, stored as ok, becomes
    already_checked_in, pointing at the scan that holds it)."""
    zone = device.zone
    key = {"zone_id": zone.zone_id, "badge_id": badge_id, "day": day}
    if device.direction is Direction.EXIT:
        conn.execute(_RELEASE, key)
        return Outcome.OK, None, False
    if zone.allows_reentry:
        return Outcome.OK, None, False
    taken = conn.execute(_INSERT_ADMISSION[conn.dialect.name],
                         {**key, "checkin_id": checkin_id}).first()
    if taken is not None:
        return Outcome.OK, None, False
    held = conn.execute(_HELD, key).one()
    # Offline, the device could not know: it admitted unless it said otherwise.
    conflict = offline and (local_status is Outcome.OK if local_status is not None
                            else held[3] != device.device_id)
    conn.execute(_DENY_ENTRY, {"checkin_id": checkin_id, "first_id": held[0],
                               "conflicted": conflict})
    return Outcome.ALREADY_CHECKED_IN, {"at": held[1], "gate": held[2]}, conflict


def _decide(session: Session, device: DeviceContext, revision: int, badge: Any, day,
            moment: datetime) -> Outcome:
    state = None if badge is None else rule.BadgeState(
        revision=badge[1], revoked=badge[2] is not None,
        confirmed=badge[4] is Status.CONFIRMED, category=badge[5],
        delegation_head=bool(badge[6]))
    return rule.decide(revision, state, device.zone, direction=device.direction, day=day,
                       moment=moment,
                       holds_seat=lambda held: rooms.holds_seat(session, held, badge[3]))


def scan_time_problem(scanned_at: datetime | None, *, now: datetime,
                      max_age: timedelta) -> str | None:
    """Why a scan's own time cannot be taken (None: it can): the window ends at the server's
    now plus CLOCK_SKEW and starts ``max_age`` back."""
    if scanned_at is None:
        return None
    # Compared before any conversion: year 1 at +14:00 has no UTC form.
    if scanned_at > now + CLOCK_SKEW:
        return "The scan time lies in the future; check the scanner's clock."
    if scanned_at < now - max_age:
        hours = int(max_age.total_seconds() // 3600)
        return f"The scan time is more than {hours} hours ago."
    return None


def scan_batch(session: Session, device: DeviceContext, scans: list[dict[str, Any]], *,
               now: datetime, max_age: timedelta = SCAN_MAX_AGE) -> list[ScanResult]:
    """Offline scans in the order they happened; each nonce is applied at most once.

    A batch with a scan outside the time window is refused whole (nothing written); the
    problem names each such scan (``scans.<i>.scanned_at``).
    """
    for item in scans:
        if item["gate"] != device.gate_slug:
            raise gate_mismatch(item["gate"], device.gate_slug)
    # Scans stored already are retries, answered as before whatever their time.
    stored = set(session.scalars(select(Checkin.nonce).where(
        Checkin.device_id == device.device_id,
        Checkin.nonce.in_({item["nonce"] for item in scans}))))
    errors = {f"scans.{i}.scanned_at": [problem] for i, item in enumerate(scans)
              if item["nonce"] not in stored
              and (problem := scan_time_problem(item["scanned_at"], now=now,
                                                max_age=max_age)) is not None}
    if errors:
        raise scan_time_refused(errors)
    order = sorted(range(len(scans)), key=lambda i: (scans[i]["scanned_at"], i))
    results: list[ScanResult | None] = [None] * len(scans)
    for i in order:
        item = scans[i]
        results[i] = scan(session, device, code=item["code"], gate=item["gate"],
                          nonce=item["nonce"], scanned_at=item["scanned_at"], now=now,
                          offline=True, local_status=item.get("local_status"),
                          max_age=max_age)
    return [r for r in results if r is not None]


def get_checkin(session: Session, public_id: str) -> Checkin:
    checkin = session.scalar(select(Checkin).where(Checkin.public_id == public_id))
    if checkin is None:
        raise NotFound("No such scan.", code="checkin_not_found")
    return checkin


def annul(session: Session, checkin: Checkin, *, now: datetime, actor: str,
          device_id: int | None = None) -> Checkin:
    """Undo a scan within 15 minutes of its arrival (an organizer, or the device that made it).

    Counted from when the server received it, not from the device's clock: an offline scan
    uploaded late can still be undone, and a device clock cannot stretch the window.
    """
    if device_id is not None and checkin.device_id != device_id:
        raise Forbidden("Only the scanner that made a scan can annul it.", code="not_your_scan")
    if checkin.annulled_at is not None:
        return checkin
    if now - checkin.received_at > ANNUL_WINDOW:
        raise annul_window_passed(int(ANNUL_WINDOW.total_seconds() // 60))
    checkin.annulled_at = now
    checkin.annulled_by = actor
    session.execute(delete(ZoneAdmission).where(ZoneAdmission.checkin_id == checkin.id))
    audit.record(session, actor=actor, action="checkin.annul", target_type="checkin",
                 target_id=checkin.public_id, event_id=checkin.event_id, now=now,
                 data={"outcome": checkin.outcome.value})
    return checkin

