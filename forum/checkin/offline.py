"""What a scanner needs to keep deciding offline, and the conflicts offline scans left behind."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from forum.audit import service as audit
from forum.badges import service as badges
from forum.badges.models import Badge
from forum.checkin import rooms, rule
from forum.checkin.devices import DeviceContext
from forum.checkin.models import Checkin, Gate, ScannerDevice, Zone, ZoneHours
from forum.checkin.service import display
from forum.events.models import Category, Event
from forum.i18n import LANGUAGES
from forum.organizations.models import Delegation
from forum.registration.models import Participant, Status


def missing_badges(session: Session, event_id: int) -> int:
    """How many confirmed participants have no badge yet (cheap anti-join)."""
    return session.scalar(select(func.count()).select_from(Participant).where(
        Participant.event_id == event_id, Participant.status == Status.CONFIRMED,
        ~exists().where(Badge.participant_id == Participant.id))) or 0


def ensure_badges(session: Session, event_id: int, *, now: datetime) -> int:
    """Issue the badges the display list needs, in bulk, only when some are missing."""
    if not missing_badges(session, event_id):
        return 0
    return badges.ensure_badges(session, session.get_one(Event, event_id), now=now)


def _zone(session: Session, device: DeviceContext) -> dict[str, Any]:
    """The device's own zone rule (other zones' rules and bookings are none of its business)."""
    zone = session.get_one(Zone, device.zone.zone_id)
    hours = [{"day": row.day.isoformat(), "opens_at": row.opens_at.isoformat(),
              "closes_at": row.closes_at.isoformat()}
             for row in session.scalars(select(ZoneHours).where(ZoneHours.zone_id == zone.id)
                                        .order_by(ZoneHours.opens_at))]
    return {"slug": zone.slug, "categories": sorted(zone.categories),
            "delegation_heads": zone.delegation_heads, "allows_reentry": zone.allows_reentry,
            # null: always open; a list: open only within these windows.
            "hours": hours or None,
            # A program room's door: null, or its bookable sessions with the badge serials
            # of their booked people (the only personal data of the rule).
            "sessions": rooms.bundle_sessions(session, zone)}


def _badges(session: Session, event_id: int):
    """Every badge of the event with what the entrance rule reads, and who wears it."""
    return session.execute(
        select(Badge.serial, Badge.revision, Badge.revoked_at, Participant.status,
               Category.slug, (Delegation.head_email == Participant.email).label("head"),
               Participant.first_name, Participant.last_name)
        .join(Participant, Badge.participant_id == Participant.id)
        .join(Category, Participant.category_id == Category.id)
        .outerjoin(Delegation, Participant.delegation_id == Delegation.id)
        .where(Badge.event_id == event_id)
        .order_by(Badge.serial))


def expires_at(event: Event) -> datetime:
    """The end of the event's last day on its clock: a bundle is refused after it."""
    tz = ZoneInfo(event.timezone)
    return datetime.combine(event.ends_on + timedelta(days=1), time(0), tz).astimezone(UTC)


def bundle(session: Session, device: DeviceContext) -> dict[str, Any]:
    """All a scanner decides offline with, on a need-to-know basis for its gate's zone.

    ``participants`` lists only the people the zone admits whose badge stands (``rule.listed``),
    and of each only what the guard checks against the person in front of them: the name and
    the category (the colour on the printed badge). No organization, country, e-mail or photo,
    and no delegation-head flag: the server already applied it when it chose whom to list. A
    badge missing from the list is admitted offline only where every category is.
    ``revoked`` names every revoked (serial, revision) of the event, so that a revoked badge
    shows ``revoked`` offline as online, at any door. ``expires_at``: after the event's last
    day the page refuses the bundle.
    """
    event = session.get_one(Event, device.event_id)
    # Read here, not from the cached device context: a renamed gate shows up (and changes the
    # ETag) with the next bundle.
    gates = session.scalars(select(Gate).where(Gate.event_id == event.id)
                            .order_by(Gate.slug)).all()
    own = next(gate for gate in gates if gate.id == device.gate_id)
    zone_names = session.scalar(select(Zone.names).where(Zone.id == own.zone_id))
    revoked: list[dict[str, Any]] = []
    participants: dict[str, dict[str, str]] = {}
    for serial, revision, revoked_at, status, category, head, first, last in _badges(
            session, event.id):
        state = rule.BadgeState(revision=revision, revoked=revoked_at is not None,
                                confirmed=status is Status.CONFIRMED, category=category,
                                delegation_head=bool(head))
        revoked.extend({"serial": serial, "revision": r} for r in rule.revoked_revisions(state))
        if rule.listed(state, device.zone):
            participants[serial] = {"name": f"{first} {last}", "category": category}
    return {
        "event": {"slug": event.slug, "timezone": event.timezone, "tag": device.event_tag},
        "expires_at": expires_at(event).isoformat(),
        "device": {"id": device.device_public_id, "name": device.device_name,
                   "gate": device.gate_slug, "direction": device.direction.value,
                   "zone": device.zone.slug, "gate_name": own.name,
                   # locale → the gate's and the zone's name, for the page's language
                   "gate_names": _names(own), "zone_names": zone_names},
        # slug → {locale → name} of every gate, to say where a badge was first admitted.
        "gates": {gate.slug: _names(gate) for gate in gates},
        "keys": {kid: base64.b64encode(raw).decode("ascii")
                 for kid, raw in sorted(badges.public_keys(session, event).items())},
        "revoked": revoked,
        "zone": _zone(session, device),
        "participants": participants,
    }


def _names(gate: Gate) -> dict[str, str]:
    """The gate's name in every language, the fallback applied once here for the page."""
    return {language: gate.name_in(language) for language in LANGUAGES}


def record_download(session: Session, device: DeviceContext, content: dict[str, Any], *,
                    size: int, now: datetime) -> None:
    """Audit a bundle sent in full (a 304 revalidation sends no personal data)."""
    audit.record(session, actor=f"scanner:{device.device_public_id}", action="scanner.bundle",
                 target_type="scanner_device", target_id=device.device_public_id,
                 event_id=device.event_id, now=now,
                 data={"gate": device.gate_slug, "bytes": size,
                       "participants": len(content["participants"])})


def encode(content: dict[str, Any]) -> tuple[bytes, str]:
    """Canonical JSON bytes and their strong ETag value (the same content, the same tag)."""
    body = json.dumps(content, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()
    return body, hashlib.sha256(body).hexdigest()[:32]


def conflicts(session: Session, event: Event) -> list[dict[str, Any]]:
    """Offline scans admitted by a device while the badge was already inside, newest first."""
    first = aliased(Checkin)
    first_gate = aliased(Gate)
    first_device = aliased(ScannerDevice)
    rows = session.execute(
        select(Checkin, Gate.slug, ScannerDevice.name, first.scanned_at, first_gate.slug,
               first_device.name)
        .join(Gate, Checkin.gate_id == Gate.id)
        .join(ScannerDevice, Checkin.device_id == ScannerDevice.id)
        .outerjoin(first, Checkin.first_checkin_id == first.id)
        .outerjoin(first_gate, first.gate_id == first_gate.id)
        .outerjoin(first_device, first.device_id == first_device.id)
        .where(Checkin.event_id == event.id, Checkin.conflict.is_(True))
        .order_by(Checkin.scanned_at.desc(), Checkin.id.desc()))
    out = []
    for checkin, gate, device, first_at, first_gate_slug, first_device_name in rows:
        out.append({
            "id": checkin.public_id, "serial": checkin.serial, "gate": gate, "device": device,
            "scanned_at": checkin.scanned_at, "received_at": checkin.received_at,
            "participant": display(session, checkin.participant_id),
            "first_checkin": ({"at": first_at, "gate": first_gate_slug,
                               "device": first_device_name} if first_at else None),
            "annulled_at": checkin.annulled_at})
    return out
