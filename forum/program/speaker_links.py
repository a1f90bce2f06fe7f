"""A speaker's private link: the speaker keeps their own profile up to date with it.

An organizer creates the link (or renews it, which kills the previous one); its token is
shown once and only its SHA-256 is kept. With the token the speaker reads and changes their
own public profile, photo and consents, nothing else: not the registration link, not the
sessions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forum.errors import NotFound, Unauthorized
from forum.events.models import Event
from forum.program import errors, speakers
from forum.program.models import Speaker, SpeakerLink
from forum.program.service import record
from forum.tokens import new_token, token_hash

# What a speaker may change on their own (the organizers' schema has ``participant`` too).
OWN_FIELDS = ("name", "title", "organization", "country", "bio", "links", "consent")


def actor_ref(speaker: Speaker) -> str:
    """How the audit log names a speaker acting through their link."""
    return f"speaker:{speaker.public_id}"


def issue(session: Session, speaker: Speaker, *, event: Event, now: datetime,
          actor: str) -> str:
    """A new link token for the speaker; a previous one stops working at once."""
    token = new_token()
    link = session.get(SpeakerLink, speaker.id)
    renewed = link is not None
    if link is None:
        link = SpeakerLink(speaker_id=speaker.id)
        session.add(link)
    link.token_hash, link.created_at, link.created_by = token_hash(token), now, actor
    session.flush()
    record(session, event=event, action="speaker.link", target_type="speaker",
           target_id=speaker.public_id, actor=actor, now=now,
           after={"link": "renewed" if renewed else "created"})
    return token


def revoke(session: Session, speaker: Speaker, *, event: Event, now: datetime,
           actor: str) -> None:
    link = session.get(SpeakerLink, speaker.id)
    if link is None:
        raise NotFound("The speaker has no private link.", code=errors.INVALID_SPEAKER_LINK)
    session.delete(link)
    session.flush()
    record(session, event=event, action="speaker.link", target_type="speaker",
           target_id=speaker.public_id, actor=actor, now=now, after={"link": "revoked"})


def has_link(session: Session, speaker: Speaker) -> bool:
    return session.get(SpeakerLink, speaker.id) is not None


def authenticate(session: Session, token: str) -> Speaker:
    """The speaker of a link token, or 401."""
    found = session.scalar(select(Speaker).join(SpeakerLink, SpeakerLink.speaker_id == Speaker.id)
                           .where(SpeakerLink.token_hash == token_hash(token)))
    if found is None:
        raise Unauthorized("This speaker link is unknown or was renewed; ask the organizers "
                           "for the current one.", code=errors.INVALID_SPEAKER_LINK)
    return found


def event_of(session: Session, speaker: Speaker) -> Event:
    event = session.get(Event, speaker.event_id)
    assert event is not None  # the foreign key cascades
    return event


def update_own(session: Session, speaker: Speaker, changes: dict[str, Any], *,
               now: datetime) -> Speaker:
    """The speaker's own changes to their profile and consents."""
    allowed = {k: v for k, v in changes.items() if k in OWN_FIELDS}
    return speakers.update_speaker(session, speaker, allowed, event=event_of(session, speaker),
                                   now=now, actor=actor_ref(speaker))
