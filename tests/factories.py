"""One factory per model; keyword overrides for what a test cares about."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from forum.events.models import Admission, Category, Event
from forum.organizations.models import Company, CompanyStatus, Delegation
from forum.registration import service as registration
from forum.registration.models import Participant
from tests.clock import suite_now

# The app under test is pinned to NOW (conftest), so data built around it is current on any
# date; the event runs on NOW's day and the next, open for registration until a day later.
NOW = suite_now()
TODAY = NOW.date()
_seq = itertools.count(1)

# slug → (admission, needs_approval, colour)
CATEGORY_RULES = {
    "attendee": (Admission.OPEN, False, "#1f6feb"),
    "speaker": (Admission.ORGANIZER, False, "#8250df"),
    "delegate": (Admission.DELEGATION, False, "#1a7f37"),
    "exhibitor": (Admission.COMPANY, False, "#bf8700"),
    "press": (Admission.OPEN, True, "#c21c8b"),
    "vip": (Admission.ORGANIZER, False, "#000000"),
    "staff": (Admission.ORGANIZER, False, "#57606a"),
    "volunteer": (Admission.ORGANIZER, False, "#0a7ea4"),
}


def make_event(session: Session, **overrides) -> Event:
    n = next(_seq)
    values = dict(slug=f"event-{n}", name=f"Digital Bridge test {n}", venue="EXPO Congress Centre",
                  city="Astana", country="KZ", timezone="Asia/Almaty",
                  starts_on=TODAY, ends_on=TODAY + timedelta(days=1),
                  registration_opens_at=NOW - timedelta(days=30),
                  registration_closes_at=NOW + timedelta(days=1), created_at=NOW, quota=None)
    category_quotas = overrides.pop("category_quotas", {})
    values.update(overrides)
    event = Event(**values)
    session.add(event)
    for pos, (slug, (admission, approval, colour)) in enumerate(CATEGORY_RULES.items()):
        session.add(Category(event=event, slug=slug, position=pos, admission=admission,
                             needs_approval=approval, badge_colour=colour,
                             quota=category_quotas.get(slug),
                             names={"en": slug.title(), "ru": slug, "kk": slug}))
    session.flush()
    return event


def make_delegation(session: Session, event: Event, **overrides) -> Delegation:
    values = dict(event_id=event.id, country="UZ", name="Republic of Uzbekistan",
                  head_name="Head", created_at=NOW)
    values.update(overrides)
    delegation = Delegation(**values)
    session.add(delegation)
    session.flush()
    return delegation


def make_company(session: Session, event: Event, **overrides) -> Company:
    n = next(_seq)
    values = dict(event_id=event.id, name=f"Company {n}", country="KZ", exhibitor=True,
                  status=CompanyStatus.APPROVED, created_at=NOW)
    values.update(overrides)
    company = Company(**values)
    session.add(company)
    session.flush()
    return company


def registration_data(**overrides) -> registration.RegistrationData:
    n = next(_seq)
    values = dict(first_name="Aigerim", last_name="Nurlanqyzy", email=f"person{n}@example.kz",
                  country="KZ", consent=True)
    values.update(overrides)
    return registration.RegistrationData(**values)


def make_participant(session: Session, event: Event, *, now: datetime = NOW,
                     by_organizer: bool = True, **overrides) -> Participant:
    participant, _token = registration.register(
        session, event=event, data=registration_data(**overrides), now=now,
        by_organizer=by_organizer, actor="test")
    return participant


def payload(**overrides) -> dict:
    """A valid registration request body."""
    n = next(_seq)
    body = {"first_name": "Aigerim", "last_name": "Nurlanqyzy",
            "email": f"api{n}@example.kz", "country": "KZ", "consent": True}
    body.update(overrides)
    return body


# --- the program ---------------------------------------------------------------------------

def local(event: Event, day: int, hhmm: str) -> datetime:
    """A moment on the event's clock: ``day`` 0 is its first day (never a fixed date)."""
    from datetime import time as clock_time
    from zoneinfo import ZoneInfo

    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.combine(event.starts_on + timedelta(days=day), clock_time(hour, minute),
                            tzinfo=ZoneInfo(event.timezone))


def make_room(session: Session, event: Event, **overrides):
    from forum.program.models import Room

    n = next(_seq)
    values = dict(event_id=event.id, slug=f"hall-{n}", capacity=200, location="Level 1",
                  name={"en": f"Hall {n}", "ru": f"Зал {n}", "kk": f"{n}-зал"})
    values.update(overrides)
    room = Room(**values)
    session.add(room)
    session.flush()
    return room


def make_track(session: Session, event: Event, **overrides):
    from forum.program.models import Track

    n = next(_seq)
    values = dict(event_id=event.id, slug=f"track-{n}", colour="#1f6feb",
                  name={"en": f"Track {n}", "ru": f"Трек {n}"})
    values.update(overrides)
    track = Track(**values)
    session.add(track)
    session.flush()
    return track


def make_speaker(session: Session, event: Event, **overrides):
    from forum.program.models import Speaker

    n = next(_seq)
    values = dict(event_id=event.id, name=f"Speaker {n}", title="CTO",
                  organization="Astana Hub", country="KZ", bio={"en": "Builds things."},
                  consent_profile=True, consent_bio=True, created_at=NOW, updated_at=NOW)
    values.update(overrides)
    speaker = Speaker(**values)
    session.add(speaker)
    session.flush()
    return speaker


def make_session(session: Session, event: Event, *, room=None, speakers=(), day: int = 0,
                 start: str = "10:00", minutes: int = 60, **overrides):
    """A session on the event's own day ``day``, written directly (no conflict checks)."""
    from forum.program.models import (
        Language,
        ProgramSession,
        SessionKind,
        SessionSpeaker,
        SessionStatus,
        SpeakerRole,
    )

    room = room or make_room(session, event)
    starts = local(event, day, start)
    values = dict(event_id=event.id, room=room, title={"en": "Talk", "ru": "Доклад"},
                  kind=SessionKind.KEYNOTE, starts_at=starts,
                  ends_at=starts + timedelta(minutes=minutes), language=Language.EN,
                  status=SessionStatus.PUBLISHED, created_at=NOW, updated_at=NOW)
    values.update(overrides)
    item = ProgramSession(**values)
    item.speakers = [SessionSpeaker(speaker=s, role=SpeakerRole.SPEAKER, position=n)
                     for n, s in enumerate(speakers)]
    session.add(item)
    session.flush()
    return item


def publish(session: Session, event: Event, name: str | None = None):
    """Publish the event's program as a version (conflict rules apply)."""
    from forum.program import versions

    return versions.publish(session, event=event, name=name or f"v{next(_seq)}", now=NOW,
                            actor="test")


def make_registrant(session: Session, event: Event, **overrides) -> tuple[Participant, str]:
    """A registration with its manage token (``Authorization: Bearer <token>``)."""
    return registration.register(session, event=event, data=registration_data(**overrides),
                                 now=NOW, by_organizer=True, actor="test")


def make_session_seats(session: Session, item, **overrides):
    from forum.program.models import SessionSeats

    values = dict(event_id=item.event_id, session_id=item.id, quota=item.seats, taken=0)
    values.update(overrides)
    seats = SessionSeats(**values)
    session.add(seats)
    session.flush()
    return seats


def make_booking(session: Session, item, participant: Participant, **overrides):
    """A booking row written directly (no seat counted: use forum.program.bookings for that)."""
    from forum.program.models import BookingStatus, SessionBooking

    values = dict(session_id=item.id, participant_id=participant.id,
                  status=BookingStatus.BOOKED, created_at=NOW, updated_at=NOW)
    values.update(overrides)
    booking = SessionBooking(**values)
    session.add(booking)
    session.flush()
    return booking


def make_agenda_entry(session: Session, item, participant: Participant, **overrides):
    from forum.program.models import AgendaEntry

    values = dict(session_id=item.id, participant_id=participant.id, position=0)
    values.update(overrides)
    entry = AgendaEntry(**values)
    session.add(entry)
    session.flush()
    return entry


def make_personal_calendar(session: Session, participant: Participant, **overrides):
    from forum.program.models import PersonalCalendar

    values = dict(participant_id=participant.id, token_hash=f"{next(_seq):064x}",
                  generation=1, created_at=NOW)
    values.update(overrides)
    row = PersonalCalendar(**values)
    session.add(row)
    session.flush()
    return row
