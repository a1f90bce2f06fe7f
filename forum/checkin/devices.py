"""Scanner devices: tokens bound to a gate, and the cached device context of the hot path."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from forum.audit import service as audit
from forum.badges import service as badges
from forum.badges.models import EventKey
from forum.badges.tokens import event_tag
from forum.checkin import rooms
from forum.checkin.models import Direction, Gate, ScannerDevice, Zone, ZoneHours
from forum.checkin.rooms import RoomSession
from forum.errors import NotFound, Unauthorized, ValidationFailed
from forum.events.models import Event
from forum.i18n import DEFAULT, pick
from forum.tokens import new_token, token_hash
from forum.webhooks import emit as webhooks

# Scans authenticate from this in-process cache, not the database. A revoked device keeps
# working in other worker processes for at most this long (the revoking process forgets it at
# once); zone rules, hours and new signing keys are picked up within the same time.
CACHE_SECONDS = 30.0
_CACHE_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class ZoneRules:
    """What a zone admits: categories (empty = all), delegation heads, re-entry, hours."""

    zone_id: int
    slug: str
    categories: frozenset[str]
    delegation_heads: bool
    allows_reentry: bool
    # Event day → (opens_at, closes_at) windows; None when the zone is always open.
    hours: dict[date, tuple[tuple[datetime, datetime], ...]] | None
    # A program room's bookable sessions: their booked people only (forum.checkin.rooms).
    sessions: tuple[RoomSession, ...] = ()

    def admits(self, category: str, *, delegation_head: bool) -> bool:
        return (not self.categories or category in self.categories
                or (self.delegation_heads and delegation_head))

    def open_at(self, day: date, moment: datetime) -> bool:
        if self.hours is None:
            return True
        return any(opens <= moment < closes for opens, closes in self.hours.get(day, ()))


@dataclass(slots=True)
class DeviceContext:
    """Everything a scan needs to know about the device that sent it."""

    device_id: int
    device_public_id: str
    device_name: str
    gate_id: int
    gate_slug: str
    direction: Direction
    event_id: int
    event_slug: str
    timezone: ZoneInfo
    event_tag: int
    zone: ZoneRules
    public_keys: dict[str, bytes] = field(default_factory=dict)
    # The webhook endpoints told of this event's check-ins, loaded with the context so that
    # a scan without subscribers runs no statement for them (kept as long as the context).
    checkin_webhooks: tuple[int, ...] = ()

    def key_for(self, session: Session, kid: str) -> bytes | None:
        """The event's public key for a key id; a kid not seen yet is looked up once."""
        key = self.public_keys.get(kid)
        if key is None and kid not in self.public_keys:
            key = session.scalar(select(EventKey.public_key).where(
                EventKey.kid == kid, EventKey.event_id == self.event_id,
                EventKey.retired_at.is_(None)))
            if key is not None:
                self.public_keys[kid] = bytes(key)
        return key


_cache: dict[str, tuple[float, DeviceContext]] = {}
_lock = threading.Lock()


def forget(hashed: str) -> None:
    with _lock:
        _cache.pop(hashed, None)


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def zone_rules(session: Session, zone: Zone) -> ZoneRules:
    rows = session.execute(select(ZoneHours.day, ZoneHours.opens_at, ZoneHours.closes_at)
                           .where(ZoneHours.zone_id == zone.id)).all()
    hours: dict[date, tuple[tuple[datetime, datetime], ...]] | None = None
    if rows:
        hours = {}
        for day, opens, closes in rows:
            hours[day] = (*hours.get(day, ()), (opens, closes))
    return ZoneRules(zone_id=zone.id, slug=zone.slug, categories=frozenset(zone.categories),
                     delegation_heads=zone.delegation_heads, allows_reentry=zone.allows_reentry,
                     hours=hours, sessions=rooms.room_sessions(session, zone.room_id))


def _load(session: Session, hashed: str, *, now: datetime) -> DeviceContext | None:
    row = session.execute(
        select(ScannerDevice, Gate, Zone, Event)
        .join(Gate, ScannerDevice.gate_id == Gate.id)
        .join(Zone, Gate.zone_id == Zone.id)
        .join(Event, Gate.event_id == Event.id)
        .where(ScannerDevice.token_hash == hashed, ScannerDevice.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    device, gate, zone, event = row
    # Refreshed once per cache period, so it costs no write per scan.
    session.execute(update(ScannerDevice).where(ScannerDevice.id == device.id)
                    .values(last_seen_at=now))
    return DeviceContext(
        device_id=device.id, device_public_id=device.public_id, device_name=device.name,
        gate_id=gate.id, gate_slug=gate.slug, direction=gate.direction, event_id=event.id,
        event_slug=event.slug, timezone=ZoneInfo(event.timezone), event_tag=event_tag(event.id),
        zone=zone_rules(session, zone), public_keys=badges.public_keys(session, event),
        checkin_webhooks=webhooks.subscribers(session, event.id, "checkin.created"))


def lookup(session: Session, token: str, *, now: datetime) -> DeviceContext | None:
    """The live device behind a token, from the cache when fresh; None when unknown or revoked."""
    hashed = token_hash(token)
    hit = _cache.get(hashed)
    clock = time.monotonic()
    if hit is not None and hit[0] > clock:
        return hit[1]
    context = _load(session, hashed, now=now)
    if context is None:
        forget(hashed)
        return None
    with _lock:
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[hashed] = (clock + CACHE_SECONDS, context)
    return context


def authenticate(session: Session, token: str, *, now: datetime) -> DeviceContext:
    """Like ``lookup``, but 401 when the token names no live device."""
    context = lookup(session, token, now=now)
    if context is None:
        raise Unauthorized("The scanner token is unknown or revoked.", code="invalid_token")
    return context


def get_gate(session: Session, event: Event, slug: str) -> Gate:
    gate = session.scalar(select(Gate).where(Gate.event_id == event.id, Gate.slug == slug))
    if gate is None:
        raise NotFound(f"No gate '{slug}' in this event.", code="gate_not_found")
    return gate


def issue(session: Session, *, gate: Gate, name: str, now: datetime,
          actor: str) -> tuple[ScannerDevice, str]:
    """Register a device at a gate; the token is returned once and only its hash is kept."""
    name = name.strip()
    if not name:
        raise ValidationFailed("Give the device a name.", errors={"name": ["Required."]})
    token = new_token()
    device = ScannerDevice(gate_id=gate.id, name=name, token_hash=token_hash(token),
                           created_at=now, created_by=actor)
    session.add(device)
    session.flush()
    audit.record(session, actor=actor, action="scanner.issue", target_type="scanner_device",
                 target_id=device.public_id, event_id=gate.event_id, now=now,
                 data={"gate": gate.slug, "name": name})
    return device, token


def list_gates(session: Session, event: Event) -> list[Gate]:
    return list(session.scalars(select(Gate).where(Gate.event_id == event.id)
                                .order_by(Gate.zone_id, Gate.slug)))


def rename_gate(session: Session, gate: Gate, names: dict[str, str], *, now: datetime,
                actor: str) -> Gate:
    """Name a gate in kk, ru and en; the base ``name`` follows (English first). Scanners show
    it with their next bundle, whose ETag the new names change."""
    gate.names, gate.name = names, pick(names, DEFAULT)
    audit.record(session, actor=actor, action="gate.rename", target_type="gate",
                 target_id=gate.slug, event_id=gate.event_id, now=now,
                 data={"names": names})
    return gate


def list_devices(session: Session, gate: Gate) -> list[ScannerDevice]:
    return list(session.scalars(select(ScannerDevice).where(ScannerDevice.gate_id == gate.id)
                                .order_by(ScannerDevice.created_at, ScannerDevice.id)))


def get_device(session: Session, gate: Gate, public_id: str) -> ScannerDevice:
    device = session.scalar(select(ScannerDevice).where(
        ScannerDevice.gate_id == gate.id, ScannerDevice.public_id == public_id))
    if device is None:
        raise NotFound("No such device at this gate.", code="device_not_found")
    return device


def revoke(session: Session, device: ScannerDevice, *, now: datetime, actor: str) -> None:
    """Revoke a device's token (idempotent); other workers notice within CACHE_SECONDS."""
    if device.revoked_at is None:
        device.revoked_at = now
        audit.record(session, actor=actor, action="scanner.revoke",
                     target_type="scanner_device", target_id=device.public_id,
                     event_id=device.gate.event_id, now=now)
    forget(device.token_hash)
