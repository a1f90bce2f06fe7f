"""Badge rules: who has a badge, issue, reissue, revoke, tokens, and what scanners must refuse."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, insert, nulls_last, or_, select
from sqlalchemy.orm import Session

from forum.audit import service as audit
from forum.badges import keys, standing
from forum.badges.errors import REVISION_LIMIT
from forum.badges.keys import public_keys, rotate_key  # noqa: F401  (part of this service)
from forum.badges.models import Badge
from forum.badges.tokens import MAX_REVISION, BadgeClaims, encode_badge_token, event_tag
from forum.errors import Conflict, NotFound
from forum.events.models import Category, Event
from forum.organizations.models import Company, Delegation
from forum.registration.models import Participant, Status
from forum.registration.notices import Notice, notify

_BULK_CHUNK = 1000


def new_serial() -> str:
    """Eight random base32 characters (40 bits)."""
    return base64.b32encode(secrets.token_bytes(5)).decode("ascii")


def _no_badge() -> NotFound:
    return NotFound("There is no badge until the registration is confirmed.", code="no_badge",
                    title="No badge")


def _unique_serial(session: Session, event_id: int) -> str:
    while True:
        serial = new_serial()
        taken = session.scalar(select(Badge.id).where(Badge.event_id == event_id,
                                                      Badge.serial == serial))
        if taken is None:
            return serial


def _stale(badge: Badge, participant: Participant) -> bool:
    # A badge from before the current registration (cancelled, then registered again) or of
    # another category must not be handed out again: the printed copy would still pass.
    return (badge.category_id != participant.category_id
            or badge.issued_at < participant.consent_at)


def _bump(badge: Badge, participant: Participant, *, now: datetime) -> None:
    if badge.revision >= MAX_REVISION:
        # Checked before the change: a token cannot carry a larger revision.
        raise Conflict(f"This badge has been reissued {MAX_REVISION} times, the most its code "
                       "can tell apart; revoke it and register the person again.",
                       code=REVISION_LIMIT)
    badge.revision += 1
    badge.issued_at = now
    badge.revoked_at = None
    badge.printed_at = None
    badge.category_id = participant.category_id
    badge.category_slug = participant.category.slug


def current_badge(session: Session, participant: Participant) -> Badge | None:
    return session.scalar(select(Badge).where(Badge.participant_id == participant.id))


def ensure_badge(session: Session, participant: Participant, *, now: datetime) -> Badge:
    """The participant's current badge, issued on first need; only for confirmed people."""
    return _ensure_badge(session, participant, now=now)[0]


def _ensure_badge(session: Session, participant: Participant, *, now: datetime
                  ) -> tuple[Badge, bool]:
    """(badge, whether this call issued its current revision)."""
    if participant.status is not Status.CONFIRMED:
        raise _no_badge()
    badge = current_badge(session, participant)
    if badge is None:
        badge = Badge(event_id=participant.event_id, participant_id=participant.id,
                      serial=_unique_serial(session, participant.event_id), revision=1,
                      category_id=participant.category_id,
                      category_slug=participant.category.slug, issued_at=now)
        session.add(badge)
        session.flush()
        return badge, True
    if _stale(badge, participant):
        _bump(badge, participant, now=now)
        audit.record(session, actor="system", action="badge.reissue", target_type="participant",
                     target_id=participant.public_id, event_id=participant.event_id, now=now,
                     data={"revision": badge.revision, "reason": "category or registration"})
        session.flush()
        return badge, True
    return badge, False


def reissue(session: Session, participant: Participant, *, now: datetime, actor: str,
            reason: str) -> Badge:
    """A new revision (lost badge, corrected name, new category); older ones scan as revoked."""
    badge, issued = _ensure_badge(session, participant, now=now)
    if not issued:
        _bump(badge, participant, now=now)
    audit.record(session, actor=actor, action="badge.reissue", target_type="participant",
                 target_id=participant.public_id, event_id=participant.event_id, now=now,
                 data={"revision": badge.revision, "reason": reason})
    session.flush()
    notify(session, participant, Notice.BADGE_REISSUED, now=now)
    return badge


def revoke(session: Session, participant: Participant, *, now: datetime, actor: str,
           reason: str) -> Badge:
    """Revoke the current revision without printing a new one (a reissue lifts it)."""
    badge = current_badge(session, participant)
    if badge is None:
        raise _no_badge()
    badge.revoked_at = now
    audit.record(session, actor=actor, action="badge.revoke", target_type="participant",
                 target_id=participant.public_id, event_id=participant.event_id, now=now,
                 data={"revision": badge.revision, "reason": reason})
    session.flush()
    return badge


def token_signer(session: Session, event_id: int, *, now: datetime
                 ) -> Callable[[str, int, int], str]:
    """(serial, revision, category id) → token, with the event's active key loaded once."""
    key = keys.signing_key(session, event_id, now=now)
    private, kid, tag = keys.private_key(key), key.kid, event_tag(event_id)

    def sign(serial: str, revision: int, category: int) -> str:
        return encode_badge_token(private_key=private, kid=kid, event_tag=tag, serial=serial,
                                  revision=revision, category=category)

    return sign


def badge_token(session: Session, badge: Badge, *, now: datetime | None = None) -> str:
    """The signed QR text of the badge's current revision."""
    sign = token_signer(session, badge.event_id, now=now or badge.issued_at)
    return sign(badge.serial, badge.revision, badge.category_id)


def resolve(session: Session, event: Event, claims: BadgeClaims
            ) -> tuple[Badge, Participant] | None:
    """The badge a verified token names, with its holder; None when the serial is unknown.

    The caller compares ``claims.revision`` with ``badge.revision`` (see ``is_revoked``).
    """
    row = session.execute(
        select(Badge, Participant).join(Participant, Participant.id == Badge.participant_id)
        .where(Badge.event_id == event.id, Badge.serial == claims.serial)).first()
    return (row[0], row[1]) if row else None


def is_revoked(badge: Badge, participant: Participant, claims: BadgeClaims) -> bool:
    """An older revision, a revoked badge, or a holder who is no longer confirmed."""
    return standing.standing(claims.revision, current=badge.revision,
                             revoked=badge.revoked_at is not None,
                             confirmed=participant.status is Status.CONFIRMED
                             ) is not standing.Standing.VALID


def revoked_revisions(session: Session, event: Event) -> list[tuple[str, int]]:
    """(serial, revision) pairs that must scan as revoked (the scanner bundle's list)."""
    rows = session.execute(
        select(Badge.serial, Badge.revision, Badge.revoked_at, Participant.status)
        .join(Participant, Participant.id == Badge.participant_id)
        .where(Badge.event_id == event.id,
               or_(Badge.revision > 1, Badge.revoked_at.is_not(None),
                   Participant.status != Status.CONFIRMED))
        .order_by(Badge.serial))
    return [(serial, r) for serial, revision, revoked_at, status in rows
            for r in standing.revoked_revisions(current=revision, revoked=revoked_at is not None,
                                                confirmed=status is Status.CONFIRMED)]


@dataclass(frozen=True)
class BadgeFilter:
    """Which badges to print: all, or one delegation, company, category, or the unprinted."""

    delegation: str | None = None  # invitation code or ISO country code
    company: str | None = None  # name or public id
    category: str | None = None  # slug
    unprinted: bool = False


def _find_delegation(session: Session, event: Event, ref: str) -> Delegation:
    ref = ref.strip()
    found = session.scalar(select(Delegation).where(
        Delegation.event_id == event.id,
        or_(Delegation.invitation_code == ref.upper(), Delegation.country == ref.upper())))
    if found is None:
        raise NotFound(f"No delegation '{ref}' in this event.", code="unknown_delegation")
    return found


def _find_company(session: Session, event: Event, ref: str) -> Company:
    ref = ref.strip()
    found = session.scalar(select(Company).where(
        Company.event_id == event.id, or_(Company.name == ref, Company.public_id == ref)))
    if found is None:
        raise NotFound(f"No company '{ref}' in this event.", code="unknown_company")
    return found


def participants_query(session: Session, event: Event, filters: BadgeFilter) -> Select:
    """Confirmed participants matching the filter in print order: delegation, then name."""
    query = (select(Participant)
             .outerjoin(Delegation, Delegation.id == Participant.delegation_id)
             .where(Participant.event_id == event.id, Participant.status == Status.CONFIRMED)
             .order_by(nulls_last(Delegation.name.asc()), Participant.last_name,
                       Participant.first_name, Participant.id))
    if filters.delegation:
        query = query.where(
            Participant.delegation_id == _find_delegation(session, event, filters.delegation).id)
    if filters.company:
        query = query.where(
            Participant.company_id == _find_company(session, event, filters.company).id)
    if filters.category:
        category = session.scalar(select(Category).where(
            Category.event_id == event.id, Category.slug == filters.category))
        if category is None:
            raise NotFound(f"No category '{filters.category}' in this event.",
                           code="unknown_category")
        query = query.where(Participant.category_id == category.id)
    if filters.unprinted:
        printed = select(Badge.participant_id).where(Badge.event_id == event.id,
                                                     Badge.printed_at.is_not(None))
        query = query.where(Participant.id.not_in(printed))
    return query


def ensure_badges(session: Session, event: Event, *, now: datetime,
                  filters: BadgeFilter = BadgeFilter()) -> int:
    """Issue the missing badges of the matching participants in bulk; returns how many.

    Also makes sure the event has a signing key, so that printing afterwards only reads.
    """
    keys.signing_key(session, event.id, now=now)
    ids = participants_query(session, event, filters).with_only_columns(
        Participant.id, Participant.category_id, Category.slug, Participant.consent_at
    ).join(Category, Category.id == Participant.category_id)
    existing = {pid: (cat, issued) for pid, cat, issued in session.execute(
        select(Badge.participant_id, Badge.category_id, Badge.issued_at)
        .where(Badge.event_id == event.id))}
    serials = set(session.scalars(select(Badge.serial).where(Badge.event_id == event.id)))
    rows, stale, issued = [], [], 0
    for pid, category_id, slug, consent_at in session.execute(ids):
        if pid in existing:
            cat, issued_at = existing[pid]
            if cat != category_id or issued_at < consent_at:
                stale.append(pid)
            continue
        serial = new_serial()
        while serial in serials:
            serial = new_serial()
        serials.add(serial)
        rows.append({"event_id": event.id, "participant_id": pid, "serial": serial,
                     "revision": 1, "category_id": category_id, "category_slug": slug,
                     "issued_at": now})
        if len(rows) >= _BULK_CHUNK:
            session.execute(insert(Badge), rows)
            issued, rows = issued + len(rows), []
    if rows:
        session.execute(insert(Badge), rows)
        issued += len(rows)
    for pid in stale:  # rare: category changes and re-registrations
        ensure_badge(session, session.get(Participant, pid), now=now)
    session.flush()
    return issued
