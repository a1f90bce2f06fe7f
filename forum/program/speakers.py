"""Speaker profiles: what organizers keep, what the speaker agreed to publish, and the link
to the registration that gets the speaker's badge."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from forum.errors import Conflict, NotFound, ValidationFailed
from forum.events.models import Event
from forum.program import errors
from forum.program.models import ProgramSession, SessionSpeaker, SessionStatus, Speaker
from forum.program.service import record
from forum.registration.models import Participant

SPEAKER_CATEGORY = "speaker"
FIELDS = ("name", "title", "organization", "country", "bio", "links", "consent_profile",
          "consent_bio", "consent_photo", "consent_links", "participant")
# Kept out of audit entries: the profile itself holds them, and they are personal.
_PERSONAL = frozenset({"bio", "links"})


def list_speakers(session: Session, event: Event) -> Sequence[Speaker]:
    return session.scalars(select(Speaker).options(selectinload(Speaker.participant))
                           .where(Speaker.event_id == event.id)
                           .order_by(Speaker.name, Speaker.id)).all()


def get_speaker(session: Session, event: Event, public_id: str) -> Speaker:
    speaker = session.scalar(select(Speaker).where(Speaker.event_id == event.id,
                                                   Speaker.public_id == public_id))
    if speaker is None:
        raise NotFound("No such speaker.", code=errors.SPEAKER_NOT_FOUND)
    return speaker


def _participant(session: Session, event: Event, public_id: str | None,
                 speaker: Speaker | None) -> Participant | None:
    """The registration to link: the event's, in the speaker category, nobody else's."""
    if public_id is None:
        return None
    participant = session.scalar(select(Participant).where(
        Participant.event_id == event.id, Participant.public_id == public_id))
    if participant is None:
        raise ValidationFailed("No such registration.", code=errors.PARTICIPANT_NOT_FOUND,
                               errors={"participant": ["No such registration at this event."]})
    if participant.category.slug != SPEAKER_CATEGORY:
        raise Conflict("Move the registration to the speaker category first, so that its "
                       "badge says speaker.", code=errors.PARTICIPANT_NOT_SPEAKER)
    holder = session.scalar(select(Speaker.id).where(Speaker.participant_id == participant.id))
    if holder is not None and (speaker is None or holder != speaker.id):
        raise Conflict("This registration already belongs to another speaker.",
                       code=errors.PARTICIPANT_TAKEN)
    return participant


def _columns(data: dict[str, Any]) -> dict[str, Any]:
    """API fields → columns (``consent: {profile, …}`` becomes ``consent_profile``, …)."""
    out = {k: v for k, v in data.items() if k in FIELDS and k != "participant"}
    for key, value in (data.get("consent") or {}).items():
        out[f"consent_{key}"] = value
    return out


def _audited(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: ("(changed)" if k in _PERSONAL else v) for k, v in values.items()}
    if "participant" in out:
        out["participant"] = out["participant"].public_id if out["participant"] else None
    return out


def create_speaker(session: Session, *, event: Event, data: dict[str, Any], now: datetime,
                   actor: str) -> Speaker:
    values = _columns(data)
    values["participant"] = _participant(session, event, data.get("participant"), None)
    speaker = Speaker(event_id=event.id, created_at=now, updated_at=now, revision=1, **values)
    session.add(speaker)
    session.flush()
    record(session, event=event, action="speaker.create", target_type="speaker",
           target_id=speaker.public_id, actor=actor, now=now,
           after=_audited({k: getattr(speaker, k) for k in FIELDS}))
    return speaker


def update_speaker(session: Session, speaker: Speaker, changes: dict[str, Any], *,
                   event: Event, now: datetime, actor: str) -> Speaker:
    values = _columns(changes)
    if "participant" in changes:
        values["participant"] = _participant(session, event, changes["participant"], speaker)
    changed = {k: v for k, v in values.items() if getattr(speaker, k) != v}
    if not changed:
        return speaker
    before = {k: getattr(speaker, k) for k in changed}
    for key, value in changed.items():
        setattr(speaker, key, value)
    speaker.revision += 1
    speaker.updated_at = now
    session.flush()
    record(session, event=event, action="speaker.update", target_type="speaker",
           target_id=speaker.public_id, actor=actor, now=now, before=_audited(before),
           after=_audited(changed))
    return speaker


def delete_speaker(session: Session, speaker: Speaker, *, event: Event, now: datetime,
                   actor: str) -> None:
    """Remove a speaker who is on no live session (cancelled ones let them go)."""
    links = session.scalars(select(SessionSpeaker).join(ProgramSession)
                            .where(SessionSpeaker.speaker_id == speaker.id)).all()
    live = [link for link in links if link.session.status is not SessionStatus.CANCELLED]
    if live:
        raise Conflict("The speaker is on sessions; take them off those first.",
                       code=errors.SPEAKER_IN_USE,
                       extra={"sessions": [link.session.public_id for link in live]})
    for link in links:
        session.delete(link)
    record(session, event=event, action="speaker.delete", target_type="speaker",
           target_id=speaker.public_id, actor=actor, now=now, before={"name": speaker.name})
    session.delete(speaker)
    session.flush()
