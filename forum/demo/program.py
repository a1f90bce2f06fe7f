"""The demo program: 8 rooms, 6 tracks, 150 sessions and 300 speakers over the event's two
days, conflict-free by construction and published as version 1.0.

Sessions sit on an hourly grid (45–50 minutes each), so two sessions overlap exactly when
they share a day and an hour: a room holds one session per hour, and a speaker is never
given two sessions of the same hour. Publishing runs the real conflict rules over the whole
program and refuses a conflicted one, so the demo proves itself on every build.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from itertools import cycle
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forum.demo import catalog
from forum.demo import program_catalog as spec
from forum.demo.people import PeopleFactory, ascii_slug, weighted
from forum.events.models import Category, Event
from forum.organizations.models import Company
from forum.program import versions
from forum.program.models import (
    Language,
    ProgramSession,
    Room,
    SessionKind,
    SessionSpeaker,
    SessionStatus,
    Speaker,
    SpeakerRole,
    Track,
)
from forum.registration.models import Participant, Status

SESSIONS = 150
SPEAKERS = 300
HOURS = range(9, 19)  # sessions start on the hour, 09:00 to 18:00
LUNCH = 13  # every room but the lounge rests
EVENING = ("plenary", "hall-a", "hall-b", "lounge")  # also at 19:00 on the first day
WORKSHOP_SEATS = 30


def build_program(session: Session, event: Event, *, rng: random.Random, now: datetime
                  ) -> str | None:
    """Build and publish the program unless the event has one; returns a summary line."""
    if session.scalar(select(func.count()).select_from(Room).where(Room.event_id == event.id)):
        return None
    rooms = _rooms(session, event)
    tracks = _tracks(session, event)
    speakers = _speakers(session, event, rng=rng, now=now)
    slots = _slots(event, rooms)
    sessions = _sessions(session, event, slots, tracks, speakers, rng=rng, now=now)
    version = versions.publish(session, event=event, name="1.0", now=now, actor="cli:demo",
                               note="The first published program.")
    linked = sum(1 for s in speakers if s.participant_id)
    return (f"Program: {len(rooms)} rooms, {len(tracks)} tracks, {len(sessions)} sessions, "
            f"{len(speakers)} speakers ({linked} with a speaker registration); "
            f"version {version.name} published.")


def _rooms(session: Session, event: Event) -> dict[str, Room]:
    rooms = {}
    for position, room in enumerate(spec.ROOMS):
        rooms[room.slug] = Room(event_id=event.id, slug=room.slug, name=dict(room.name),
                                capacity=room.capacity, location=room.location,
                                interpretation=room.interpretation, opens_at=time(8, 0),
                                closes_at=time(21, 0), position=position)
    session.add_all(rooms.values())
    session.flush()
    return rooms


def _tracks(session: Session, event: Event) -> list[tuple[Track, tuple]]:
    tracks = [(Track(event_id=event.id, slug=slug, colour=colour, name=dict(name),
                     position=position), topics)
              for position, (slug, colour, name, topics) in enumerate(spec.TRACKS)]
    session.add_all(track for track, _ in tracks)
    session.flush()
    return tracks


def _speakers(session: Session, event: Event, *, rng: random.Random, now: datetime
              ) -> list[Speaker]:
    """300 profiles; the first ones are the event's confirmed speaker registrations."""
    registered = session.scalars(
        select(Participant).join(Category, Participant.category_id == Category.id)
        .where(Participant.event_id == event.id, Category.slug == "speaker",
               Participant.status == Status.CONFIRMED)
        .order_by(Participant.id).limit(SPEAKERS)).all()
    organizations = [*catalog.VIP_ORGANIZATIONS, *catalog.UNIVERSITIES,
                     *session.scalars(select(Company.name).where(Company.event_id == event.id)
                                      .order_by(Company.id).limit(60))]
    people = PeopleFactory(rng, set())
    countries = ("KZ", "KZ", "KZ", *catalog.DELEGATIONS)
    speakers = []
    for n in range(SPEAKERS):
        person = registered[n] if n < len(registered) else None
        if person is not None:
            name, country, organization = person.display_name, person.country, (
                person.organization or rng.choice(organizations))
        else:
            country = rng.choice(countries)
            made = people.person(country)
            name, organization = f"{made.first_name} {made.last_name}", rng.choice(
                organizations)
        title = rng.choice(catalog.JOB_TITLES["speaker"])
        speakers.append(Speaker(
            event_id=event.id, participant_id=person.id if person else None, name=name,
            title=title, organization=organization, country=country,
            bio={"en": f"{title}, {organization}", "ru": f"{title}, {organization}",
                 "kk": f"{organization}: {title}"},
            links=[{"label": "Website",
                    "url": f"https://{ascii_slug(name) or 'speaker'}.example.org"}],
            consent_profile=rng.random() < 0.95, consent_bio=rng.random() < 0.8,
            consent_photo=False, consent_links=rng.random() < 0.5, revision=1,
            created_at=now, updated_at=now))
    session.add_all(speakers)
    session.flush()
    return speakers


def _slots(event: Event, rooms: dict[str, Room]) -> list[tuple[int, int, Room]]:
    """(day, hour, room) for every session, in time order: 150 on the grid."""
    slots = []
    for day in range(min(2, (event.ends_on - event.starts_on).days + 1)):
        for hour in [*HOURS, 19]:
            for slug, room in rooms.items():
                if hour == LUNCH and slug != "lounge":
                    continue
                if hour == 19 and (day != 0 or slug not in EVENING):
                    continue
                slots.append((day, hour, room))
    return slots[:SESSIONS]


def _title(kind: SessionKind, track: Track, topics: tuple, turn: int) -> dict[str, str]:
    """The ``turn``-th title of a kind in a track: its topics (or meetup formats) in turn,
    then again as part 2, 3…"""
    if kind is SessionKind.NETWORKING:
        variants = [(pattern, track.name) for pattern in spec.NETWORKING]
    else:
        variants = [(spec.TITLES[kind], dict(zip(("en", "ru", "kk"), topic, strict=True)))
                    for topic in topics]
    pattern, subject = variants[turn % len(variants)]
    part = turn // len(variants) + 1
    return {lang: pattern[lang].format(subject[lang])
            + (spec.PART[lang].format(part) if part > 1 else "") for lang in ("en", "ru", "kk")}


def _sessions(session: Session, event: Event, slots: list, tracks: list, speakers: list,
              *, rng: random.Random, now: datetime) -> list[ProgramSession]:
    tz = ZoneInfo(event.timezone)
    kinds = {room.slug: cycle(room.kinds) for room in spec.ROOMS}
    track_turn = cycle(range(len(tracks)))
    pool = speakers[:]
    rng.shuffle(pool)
    queue = cycle(pool)
    busy: dict[tuple[int, int], set[int]] = {}
    used: dict[tuple[str, SessionKind], int] = {}
    made = []
    for day, hour, room in slots:
        kind = next(kinds[room.slug])
        track, topics = tracks[next(track_turn)]
        if room.slug == "plenary" and (day, hour) in ((0, 9), (1, 18)):
            kind, track, title = SessionKind.PLENARY, None, dict(
                spec.OPENING if day == 0 else spec.CLOSING)
        else:
            # Each track's topics in turn per kind, so no two sessions share a title.
            turn = used[(track.slug, kind)] = used.get((track.slug, kind), -1) + 1
            title = _title(kind, track, topics, turn)
        starts = datetime.combine(event.starts_on + timedelta(days=day), time(hour), tzinfo=tz)
        minutes = 50 if kind in (SessionKind.WORKSHOP, SessionKind.NETWORKING) else 45
        item = ProgramSession(
            event_id=event.id, title=title,
            description={lang: spec.DESCRIPTION[lang].format(text)
                         for lang, text in title.items()},
            kind=kind, starts_at=starts, ends_at=starts + timedelta(minutes=minutes),
            room_id=room.id, room=room, track_id=track.id if track else None,
            language=Language(weighted(rng, spec.TALK_LANGUAGES)),
            capacity=WORKSHOP_SEATS if kind is SessionKind.WORKSHOP else None,
            bookable=kind is SessionKind.WORKSHOP, status=SessionStatus.PUBLISHED,
            created_at=now, updated_at=now)
        taken = busy.setdefault((day, hour), set())
        item.speakers = _cast(kind, queue, taken, len(pool))
        made.append(item)
    session.add_all(made)
    session.flush()
    return made


def _cast(kind: SessionKind, queue, taken: set[int], size: int) -> list[SessionSpeaker]:
    """The next free speakers of the rotation (none already speaking at that hour)."""
    links: list[SessionSpeaker] = []
    for _ in range(size):
        if len(links) == spec.SPEAKERS_PER_KIND[kind]:
            break
        speaker = next(queue)
        if id(speaker) in taken:
            continue
        taken.add(id(speaker))
        role = (SpeakerRole.MODERATOR if kind in spec.MODERATED and not links
                else SpeakerRole.PANELIST if kind is SessionKind.PANEL else SpeakerRole.SPEAKER)
        links.append(SessionSpeaker(speaker_id=speaker.id, speaker=speaker, role=role,
                                    position=len(links)))
    return links
