"""Program rules in the service: each conflict rule, cancelled sessions, language fallback,
versions and their changelogs."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from forum.audit.models import AuditEntry
from forum.errors import Conflict, ValidationFailed
from forum.i18n import negotiate, pick
from forum.program import conflicts, service, speakers, versions
from forum.program.models import SessionStatus
from tests import factories
from tests.factories import NOW, local

ACTOR = "account:tester"


def _data(event, room_slug: str, start: str = "10:00", minutes: int = 60, **overrides
          ) -> dict:
    starts = local(event, 0, start)
    body = {"title": {"en": "Opening"}, "kind": "keynote", "room": room_slug,
            "language": "en", "starts_at": starts,
            "ends_at": starts + timedelta(minutes=minutes)}
    body.update(overrides)
    return body


def _plan(session, event, room, start="10:00", minutes=60, day=0, **overrides):
    starts = local(event, day, start)
    data = _data(event, room.slug, starts_at=starts,
                 ends_at=starts + timedelta(minutes=minutes), **overrides)
    return service.create_session(session, event=event, data=data, now=NOW, actor=ACTOR)


def _code(exc_info) -> str:
    return exc_info.value.code


def test_a_room_is_not_booked_twice(session, event):
    room = factories.make_room(session, event)
    first = _plan(session, event, room, "10:00", 60)
    with pytest.raises(Conflict) as exc:
        _plan(session, event, room, "10:30", 60)
    assert _code(exc) == "room_double_booked"
    assert exc.value.extra["conflicting_session"]["id"] == first.public_id
    assert exc.value.extra["conflicting_session"]["starts_at"].endswith("+05:00")
    # Back to back is fine; another room at the same time too.
    _plan(session, event, room, "11:00", 30)
    _plan(session, event, factories.make_room(session, event), "10:00", 60)


def test_a_speaker_is_not_in_two_sessions_at_once(session, event):
    speaker = factories.make_speaker(session, event)
    first = _plan(session, event, factories.make_room(session, event),
                  speakers=[{"speaker": speaker.public_id, "role": "speaker"}])
    with pytest.raises(Conflict) as exc:
        _plan(session, event, factories.make_room(session, event), "10:45", 30,
              speakers=[{"speaker": speaker.public_id, "role": "moderator"}])
    assert _code(exc) == "speaker_double_booked"
    assert exc.value.extra["conflicting_session"]["id"] == first.public_id
    assert exc.value.extra["speakers"] == [speaker.public_id]


def test_sessions_stay_inside_the_event_days(session, event):
    room = factories.make_room(session, event)
    for day, start, minutes in ((-1, "10:00", 60), (2, "00:00", 30), (1, "23:30", 60),
                                (0, "00:00", -30)):
        starts = local(event, day, start)
        bounds = sorted([starts, starts + timedelta(minutes=minutes)])
        with pytest.raises(Conflict) as exc:
            service.create_session(session, event=event, now=NOW, actor=ACTOR,
                                   data=_data(event, room.slug, starts_at=bounds[0],
                                              ends_at=bounds[1]))
        assert _code(exc) == "outside_event_days", (day, start)
        assert exc.value.extra["event_days"] == [str(event.starts_on), str(event.ends_on)]
    _plan(session, event, room, "00:00", 30)  # the first minute of the first day
    _plan(session, event, room, "23:30", 30, day=1)  # up to the last midnight


def test_and_inside_the_room_opening_hours(session, event):
    room = factories.make_room(session, event, opens_at=time(9, 0), closes_at=time(18, 0))
    with pytest.raises(Conflict) as exc:
        _plan(session, event, room, "08:30", 60)
    assert _code(exc) == "outside_event_days"
    assert exc.value.extra["room_hours"] == ["09:00", "18:00"]
    with pytest.raises(Conflict):
        _plan(session, event, room, "17:30", 60)
    _plan(session, event, room, "09:00", 60)
    _plan(session, event, room, "17:00", 60)


def test_capacity_stays_within_the_room(session, event):
    room = factories.make_room(session, event, capacity=50)
    with pytest.raises(Conflict) as exc:
        _plan(session, event, room, capacity=51)
    assert _code(exc) == "capacity_above_room"
    assert exc.value.extra["room"] == {"slug": room.slug, "capacity": 50}
    made = _plan(session, event, room, capacity=40, bookable=True)
    assert made.seats == 40 and _plan(session, event, room, "12:00").seats == 50
    # A room cannot shrink under its sessions either.
    with pytest.raises(Conflict) as exc:
        service.update_room(session, room, {"capacity": 30}, event=event, now=NOW,
                            actor=ACTOR)
    assert _code(exc) == "capacity_above_room"


def test_cancelled_sessions_never_conflict(session, event):
    speaker = factories.make_speaker(session, event)
    room = factories.make_room(session, event, capacity=10)
    first = _plan(session, event, room, speakers=[{"speaker": speaker.public_id}])
    service.update_session(session, first, {"status": "cancelled"}, event=event, now=NOW,
                           actor=ACTOR)
    again = _plan(session, event, room, speakers=[{"speaker": speaker.public_id}])
    assert again.status is SessionStatus.DRAFT
    # Reviving the cancelled one is a save like any other: now it conflicts.
    with pytest.raises(Conflict) as exc:
        service.update_session(session, first, {"status": "published"}, event=event,
                               now=NOW, actor=ACTOR)
    assert _code(exc) == "room_double_booked"


def test_moving_a_session_checks_it_again(session, event):
    room = factories.make_room(session, event)
    _plan(session, event, room, "10:00")
    other = _plan(session, event, room, "12:00")
    with pytest.raises(Conflict):
        service.update_session(session, other, {"starts_at": local(event, 0, "10:30"),
                                                "ends_at": local(event, 0, "11:30")},
                               event=event, now=NOW, actor=ACTOR)
    session.rollback()


def test_an_update_is_recorded_with_before_and_after(session, event):
    room, hall = factories.make_room(session, event), factories.make_room(session, event)
    item = _plan(session, event, room)
    service.update_session(session, item, {"room": hall.slug}, event=event, now=NOW,
                           actor=ACTOR)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "session.update"))
    assert entry.data == {"before": {"room": room.slug}, "after": {"room": hall.slug}}


def test_unknown_names_and_bad_times_are_field_errors(session, event):
    room = factories.make_room(session, event).slug
    for data, field in ((_data(event, "nope"), "room"),
                        (_data(event, room, track="nope"), "track"),
                        (_data(event, room, speakers=[{"speaker": "nope"}]),
                         "speakers.0.speaker"),
                        (_data(event, room, minutes=0), "ends_at")):
        with pytest.raises(ValidationFailed) as exc:
            service.create_session(session, event=event, data=data, now=NOW, actor=ACTOR)
        assert field in exc.value.errors


def test_warnings_list_every_conflict_once(session, event):
    room = factories.make_room(session, event)
    speaker = factories.make_speaker(session, event)
    a = factories.make_session(session, event, room=room, speakers=[speaker])
    b = factories.make_session(session, event, room=room, start="10:30", speakers=[speaker])
    factories.make_session(session, event, room=room, start="14:00", capacity=500)
    factories.make_session(session, event, room=room, start="16:00",
                           status=SessionStatus.CANCELLED)
    found = conflicts.warnings(session, event)
    codes = sorted(w["code"] for w in found)
    assert codes == ["capacity_above_room", "no_speakers", "room_double_booked",
                     "speaker_double_booked"]
    pair = next(w for w in found if w["code"] == "room_double_booked")
    assert (pair["session"]["id"], pair["conflicting_session"]["id"]) == (a.public_id,
                                                                          b.public_id)


def test_language_fallback_is_one_helper():
    texts = {"kk": "Ашылу", "ru": "Открытие", "en": "Opening"}
    assert pick(texts, "kk") == "Ашылу"
    assert pick({"ru": "Открытие", "kk": "Ашылу"}, "en") == "Открытие"
    assert pick({"kk": "Ашылу", "en": ""}, "ru") == "Ашылу"
    assert pick({"en": "Opening", "kk": "Ашылу"}, "ru") == "Opening"
    assert pick({}, "en", default="—") == "—"
    assert negotiate("kk", None) == "kk"
    assert negotiate(None, None) == "en"


def test_a_linked_registration_must_be_a_speaker(session, event):
    attendee = factories.make_participant(session, event)
    with pytest.raises(Conflict) as exc:
        speakers.create_speaker(session, event=event, now=NOW, actor=ACTOR,
                                data={"name": "A", "participant": attendee.public_id})
    assert _code(exc) == "participant_not_speaker"
    person = factories.make_participant(session, event, category="speaker")
    made = speakers.create_speaker(session, event=event, now=NOW, actor=ACTOR,
                                   data={"name": "A", "participant": person.public_id})
    assert made.participant is person
    with pytest.raises(Conflict) as exc:
        speakers.create_speaker(session, event=event, now=NOW, actor=ACTOR,
                                data={"name": "B", "participant": person.public_id})
    assert _code(exc) == "participant_taken"


def test_a_speaker_on_a_live_session_stays(session, event):
    speaker = factories.make_speaker(session, event)
    item = factories.make_session(session, event, speakers=[speaker])
    with pytest.raises(Conflict) as exc:
        speakers.delete_speaker(session, speaker, event=event, now=NOW, actor=ACTOR)
    assert _code(exc) == "speaker_in_use"
    item.status = SessionStatus.CANCELLED
    speakers.delete_speaker(session, speaker, event=event, now=NOW, actor=ACTOR)


def _publish(session, event, name):
    return versions.publish(session, event=event, name=name, now=NOW, actor=ACTOR)


def test_first_version_adds_everything_and_drafts_stay_out(session, event):
    shown = factories.make_session(session, event)
    factories.make_session(session, event, start="12:00", status=SessionStatus.DRAFT)
    first = _publish(session, event, "1.0")
    assert first.number == 1
    assert [s["id"] for s in first.snapshot["sessions"]] == [shown.public_id]
    assert first.changelog == {"added": [{"id": shown.public_id, "title": shown.title}],
                               "cancelled": [], "moved": [], "room_changed": []}
    with pytest.raises(Conflict) as exc:
        _publish(session, event, "1.1")
    assert _code(exc) == "nothing_to_publish"
    with pytest.raises(Conflict) as exc:
        _publish(session, event, "1.0")
    assert _code(exc) == "version_exists"


def test_changelog_names_moves_room_changes_cancellations_and_additions(session, event):
    room, hall = factories.make_room(session, event), factories.make_room(session, event)
    moved = factories.make_session(session, event, room=room)
    rehoused = factories.make_session(session, event, room=room, start="12:00")
    cancelled = factories.make_session(session, event, room=room, start="14:00")
    dropped = factories.make_session(session, event, room=room, start="16:00")
    _publish(session, event, "1.0")

    for item, changes in ((moved, {"starts_at": local(event, 1, "10:00"),
                                   "ends_at": local(event, 1, "11:00")}),
                          (rehoused, {"room": hall.slug}),
                          (cancelled, {"status": "cancelled"})):
        service.update_session(session, item, changes, event=event, now=NOW, actor=ACTOR)
    service.delete_session(session, dropped, event=event, now=NOW, actor=ACTOR)
    added = factories.make_session(session, event, room=hall, start="16:00")
    second = _publish(session, event, "1.1")
    log = second.changelog
    assert [e["id"] for e in log["added"]] == [added.public_id]
    assert sorted(e["id"] for e in log["cancelled"]) == sorted([cancelled.public_id,
                                                                dropped.public_id])
    assert [e["id"] for e in log["moved"]] == [moved.public_id]
    assert log["moved"][0]["from"]["starts_at"] < log["moved"][0]["to"]["starts_at"]
    assert log["room_changed"] == [{"id": rehoused.public_id, "title": rehoused.title,
                                    "from": room.slug, "to": hall.slug}]
    # The cancelled session stays in the snapshot, marked, for calendars to update.
    statuses = {s["id"]: s["status"] for s in second.snapshot["sessions"]}
    assert statuses[cancelled.public_id] == "cancelled" and dropped.public_id not in statuses


def test_publishing_waits_for_conflicts_to_be_resolved(session, event):
    room = factories.make_room(session, event)
    factories.make_session(session, event, room=room)
    factories.make_session(session, event, room=room, start="10:30")
    with pytest.raises(Conflict) as exc:
        _publish(session, event, "1.0")
    assert _code(exc) == "program_has_conflicts"
    assert exc.value.extra["warnings"][0]["code"] == "room_double_booked"
