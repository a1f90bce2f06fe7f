"""What a scanner needs to keep deciding offline, and the conflicts offline scans left behind."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from forum.badges import service as badges
from forum.badges.models import Badge
from forum.checkin import rooms
from forum.checkin.devices import DeviceContext
from forum.checkin.models import Checkin, Gate, ScannerDevice, Zone, ZoneHours
from forum.checkin.service import display
from forum.events.models import Category, Event
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


def _zones(session: Session, event_id: int) -> list[dict[str, Any]]:
    zones = list(session.scalars(select(Zone).where(Zone.event_id == event_id)
                                 .order_by(Zone.slug)))
    hours: dict[int, list[dict[str, str]]] = {}
    for row in session.scalars(select(ZoneHours).join(Zone).where(Zone.event_id == event_id)
                               .order_by(ZoneHours.zone_id, ZoneHours.opens_at)):
        hours.setdefault(row.zone_id, []).append({
            "day": row.day.isoformat(), "opens_at": row.opens_at.isoformat(),
            "closes_at": row.closes_at.isoformat()})
    return [{"slug": z.slug, "categories": sorted(z.categories),
             "delegation_heads": z.delegation_heads, "allows_reentry": z.allows_reentry,
             # null: always open; a list: open only within these windows.
             "hours": hours.get(z.id),
             # A program room's door: null, or its bookable sessions with the badge serials
             # of their booked people (the only personal data of the rule).
             "sessions": rooms.bundle_sessions(session, z)} for z in zones]


def bundle(session: Session, device: DeviceContext) -> dict[str, Any]:
    """Keys, revocations, zone rules and the display list: all a scanner decides offline with."""
    event = session.get_one(Event, device.event_id)
    # Read here, not from the cached device context: a renamed gate shows up (and changes the
    # ETag) with the next bundle.
    gate_name, zone_names = session.execute(
        select(Gate.name, Zone.names).join(Zone, Gate.zone_id == Zone.id)
        .where(Gate.id == device.gate_id)).one()
    people = session.execute(
        select(Badge.serial, Participant.first_name, Participant.last_name, Category.slug,
               Participant.organization, Participant.country,
               (Delegation.head_email == Participant.email).label("head"))
        .join(Participant, Badge.participant_id == Participant.id)
        .join(Category, Participant.category_id == Category.id)
        .outerjoin(Delegation, Participant.delegation_id == Delegation.id)
        .where(Badge.event_id == event.id, Participant.status == Status.CONFIRMED,
               Badge.revoked_at.is_(None))
        .order_by(Badge.serial))
    return {
        "event": {"slug": event.slug, "timezone": event.timezone, "tag": device.event_tag},
        "device": {"id": device.device_public_id, "name": device.device_name,
                   "gate": device.gate_slug, "direction": device.direction.value,
                   "zone": device.zone.slug, "gate_name": gate_name,
                   # locale → the zone's name, for the page's language
                   "zone_names": zone_names},
        # slug → display name of every gate, to say where a badge was first admitted.
        "gates": {slug: name for slug, name in session.execute(
            select(Gate.slug, Gate.name).where(Gate.event_id == event.id).order_by(Gate.slug))},
        "keys": {kid: base64.b64encode(raw).decode("ascii")
                 for kid, raw in sorted(badges.public_keys(session, event).items())},
        "revoked": [[serial, revision]
                    for serial, revision in badges.revoked_revisions(session, event)],
        "zones": _zones(session, event.id),
        # serial → [name, category, organization, country, delegation head]
        "participants": {serial: [f"{first} {last}", category, org, country, bool(head)]
                         for serial, first, last, category, org, country, head in people},
    }


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
