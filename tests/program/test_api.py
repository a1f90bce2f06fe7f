"""The program over HTTP: organizer writes with their 409/422 answers, the public agenda from
the latest published version, languages, consents and ETags."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.accounts.models import Role
from tests import factories
from tests.auth import staff_headers
from tests.factories import local
from tests.test_registration_api import assert_problem

EVENT = "/api/v1/events/digital-bridge"


@pytest.fixture
def manager(session, event) -> dict:
    return staff_headers(session, Role.PROGRAM, event=event)


def _iso(event, day: int, hhmm: str, minutes: int = 0) -> str:
    return (local(event, day, hhmm) + timedelta(minutes=minutes)).isoformat()


def _room(client, headers, **body) -> dict:
    body = {"slug": "hall-a", "name": {"en": "Hall A", "kk": "А залы"}, "capacity": 300,
            "location": "Level 2", "interpretation": True, **body}
    r = client.post(f"{EVENT}/rooms", json=body, headers=headers)
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.get_json()


def _speaker(client, headers, **body) -> dict:
    body = {"name": "Aigerim Sadykova", "title": "CEO", "organization": "QazTech",
            "country": "kz", "bio": {"en": "Builds payment rails.", "ru": "Строит платежи."},
            "links": [{"label": "Site", "url": "https://qaztech.example.kz"}],
            "consent": {"profile": True, "bio": True}, **body}
    r = client.post(f"{EVENT}/speakers", json=body, headers=headers)
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.get_json()


def _session_body(event, **body) -> dict:
    return {"title": {"en": "Open banking in Central Asia", "ru": "Открытый банкинг",
                      "kk": "Ашық банкинг"},
            "description": {"en": "Line one.\nLine two."}, "kind": "panel",
            "starts_at": _iso(event, 0, "10:00"), "ends_at": _iso(event, 0, "11:00"),
            "room": "hall-a", "language": "ru", "bookable": False, "status": "published",
            **body}


def _post_session(client, headers, event, **body):
    return client.post(f"{EVENT}/sessions", json=_session_body(event, **body), headers=headers)


def test_rooms_tracks_and_a_session_take_the_contract_shapes(client, event, manager):
    room = _room(client, manager)
    assert room["slug"] == "hall-a" and room["name"] == {"en": "Hall A", "kk": "А залы"}
    r = client.post(f"{EVENT}/tracks", headers=manager,
                    json={"slug": "fintech", "name": {"en": "Fintech"}, "colour": "#AA00ff"})
    assert r.status_code == 201 and r.get_json()["colour"] == "#AA00ff"
    speaker = _speaker(client, manager)
    assert speaker["country"] == "KZ" and speaker["consent"]["photo"] is False
    r = _post_session(client, manager, event, track="fintech",
                      speakers=[{"speaker": speaker["id"], "role": "moderator"}])
    assert r.status_code == 201, r.get_data(as_text=True)
    made = r.get_json()
    assert made["starts_at"] == _iso(event, 0, "10:00") and made["starts_at"].endswith("+05:00")
    assert made["room"] == "hall-a" and made["track"] == "fintech"
    assert made["capacity"] is None and made["seats"] == 300
    assert made["speakers"] == [{"speaker": speaker["id"], "name": "Aigerim Sadykova",
                                 "role": "moderator"}]
    assert made["description"] == {"en": "Line one.\nLine two."}
    listed = client.get(f"{EVENT}/sessions", headers=manager).get_json()
    assert [s["id"] for s in listed] == [made["id"]]
    assert client.get(f"{EVENT}/rooms", headers=manager).get_json()[0]["slug"] == "hall-a"
    r = client.patch(f"{EVENT}/sessions/{made['id']}", headers=manager,
                     json={"starts_at": _iso(event, 1, "09:00"), "ends_at": _iso(event, 1,
                                                                                 "09:45")})
    assert r.status_code == 200 and r.get_json()["starts_at"] == _iso(event, 1, "09:00")
    assert_problem(client.delete(f"{EVENT}/rooms/hall-a", headers=manager), 409, "room_in_use")
    assert client.delete(f"{EVENT}/sessions/{made['id']}", headers=manager).status_code == 204
    assert client.delete(f"{EVENT}/rooms/hall-a", headers=manager).status_code == 204


@pytest.mark.parametrize("role", [Role.ORGANIZER, Role.ADMIN, Role.PROGRAM])
def test_program_managers_organizers_and_admins_may_plan(client, session, event, role):
    _room(client, staff_headers(session, role, event=event), slug=f"room-{role.value}")


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ACCREDITATION, Role.CHECKIN_SUPERVISOR])
def test_other_roles_may_not(client, session, event, role):
    headers = staff_headers(session, role, event=event)
    assert_problem(client.post(f"{EVENT}/rooms", json={}, headers=headers), 403,
                   "insufficient_role")
    assert_problem(client.get(f"{EVENT}/program/warnings", headers=headers), 403,
                   "insufficient_role")


def test_anonymous_writes_are_401(client, event):
    assert_problem(client.post(f"{EVENT}/sessions", json={}), 401, "missing_token")
    assert_problem(client.post(f"{EVENT}/program/publish", json={"name": "1"}), 401,
                   "missing_token")


def test_each_conflict_answers_409_with_the_session_named(client, event, manager):
    _room(client, manager, capacity=100)
    _room(client, manager, slug="hall-b")
    speaker = _speaker(client, manager)
    first = _post_session(client, manager, event,
                          speakers=[{"speaker": speaker["id"], "role": "speaker"}]).get_json()
    body = assert_problem(_post_session(client, manager, event,
                                        starts_at=_iso(event, 0, "10:30"),
                                        ends_at=_iso(event, 0, "11:30")),
                          409, "room_double_booked")
    assert body["conflicting_session"]["id"] == first["id"]
    assert body["conflicting_session"]["title"]["en"] == "Open banking in Central Asia"
    body = assert_problem(_post_session(client, manager, event, room="hall-b",
                                        speakers=[{"speaker": speaker["id"],
                                                   "role": "panelist"}]),
                          409, "speaker_double_booked")
    assert body["conflicting_session"]["id"] == first["id"]
    assert_problem(_post_session(client, manager, event, starts_at=_iso(event, 2, "10:00"),
                                 ends_at=_iso(event, 2, "11:00")), 409, "outside_event_days")
    assert_problem(_post_session(client, manager, event, starts_at=_iso(event, 0, "12:00"),
                                 ends_at=_iso(event, 0, "13:00"), capacity=101),
                   409, "capacity_above_room")
    # Nothing of the refused saves was written.
    assert len(client.get(f"{EVENT}/sessions", headers=manager).get_json()) == 1
    warnings = client.get(f"{EVENT}/program/warnings", headers=manager).get_json()
    assert warnings == []


@pytest.mark.parametrize(("body", "field"), [
    ({"title": {}}, "title"),
    ({"title": {"de": "Eröffnung"}}, "title"),
    ({"kind": "lecture"}, "kind"),
    ({"starts_at": "2026-05-20T10:00:00"}, "starts_at"),  # no offset
    ({"ends_at": "yesterday"}, "ends_at"),
    ({"language": "de"}, "language"),
    ({"room": "nowhere"}, "room"),
    ({"track": "nowhere"}, "track"),
    ({"capacity": 0}, "capacity"),
    ({"speakers": [{"speaker": "nobody", "role": "speaker"}]}, "speakers.0.speaker"),
    ({"speakers": [{"speaker": "x", "role": "host"}]}, "speakers.0.role"),
])
def test_session_field_errors(client, event, manager, body, field):
    _room(client, manager)
    problem = assert_problem(_post_session(client, manager, event, **body), 422,
                             "validation_failed")
    assert field in problem["errors"], problem


def test_times_must_run_forward(client, event, manager):
    _room(client, manager)
    problem = assert_problem(_post_session(client, manager, event,
                                           ends_at=_iso(event, 0, "09:00")),
                             422, "validation_failed")
    assert "ends_at" in problem["errors"]


@pytest.mark.parametrize(("body", "field"), [
    ({"slug": "Hall A"}, "slug"), ({"capacity": 0}, "capacity"), ({"name": {"en": ""}}, "name"),
    ({"opens_at": "18:00", "closes_at": "09:00"}, "closes_at"),
])
def test_room_field_errors(client, manager, body, field):
    body = {"slug": "hall", "name": {"en": "Hall"}, "capacity": 10, **body}
    problem = assert_problem(client.post(f"{EVENT}/rooms", json=body, headers=manager),
                             422, "validation_failed")
    assert field in problem["errors"]


def test_duplicate_slugs_and_unknown_items(client, manager):
    _room(client, manager)
    assert_problem(client.post(f"{EVENT}/rooms", headers=manager,
                               json={"slug": "hall-a", "name": {"en": "A"}, "capacity": 5}),
                   409, "room_exists")
    assert_problem(client.patch(f"{EVENT}/rooms/nope", json={}, headers=manager), 404,
                   "room_not_found")
    assert_problem(client.patch(f"{EVENT}/sessions/nope", json={}, headers=manager), 404,
                   "session_not_found")
    assert_problem(client.patch(f"{EVENT}/speakers/nope", json={}, headers=manager), 404,
                   "speaker_not_found")
    assert_problem(client.post(f"{EVENT}/tracks", headers=manager,
                               json={"slug": "ai", "name": {"en": "AI"}, "colour": "red"}),
                   422, "validation_failed")


def _published(client, event, manager) -> tuple[dict, dict]:
    _room(client, manager)
    client.post(f"{EVENT}/tracks", headers=manager,
                json={"slug": "fintech", "name": {"en": "Fintech", "kk": "Финтех"},
                      "colour": "#00aa00"})
    speaker = _speaker(client, manager)
    shy = _speaker(client, manager, name="Hidden Person", consent={"profile": False})
    made = _post_session(client, manager, event, track="fintech",
                         speakers=[{"speaker": speaker["id"], "role": "moderator"},
                                   {"speaker": shy["id"], "role": "panelist"}]).get_json()
    _post_session(client, manager, event, title={"en": "Secret draft"}, status="draft",
                  starts_at=_iso(event, 1, "10:00"), ends_at=_iso(event, 1, "11:00"))
    r = client.post(f"{EVENT}/program/publish", json={"name": "1.0", "note": "First"},
                    headers=manager)
    assert r.status_code == 201, r.get_data(as_text=True)
    version = r.get_json()
    assert version["number"] == 1 and version["sessions"] == 1
    assert [e["id"] for e in version["changelog"]["added"]] == [made["id"]]
    return made, speaker


def test_the_public_program_is_the_latest_published_version(client, event, manager):
    empty = client.get(f"{EVENT}/program").get_json()
    assert empty == {"version": None, "sessions": []}
    made, speaker = _published(client, event, manager)
    r = client.get(f"{EVENT}/program?lang=kk")
    assert r.status_code == 200
    body = r.get_json()
    assert body["version"]["name"] == "1.0" and body["version"]["note"] == "First"
    (entry,) = body["sessions"]
    assert entry["id"] == made["id"] and entry["title"] == "Ашық банкинг"
    assert entry["room"]["name"] == "А залы" and entry["track"]["name"] == "Финтех"
    assert entry["starts_at"] == _iso(event, 0, "10:00")
    assert entry["capacity"] == 300 and entry["language"] == "ru"
    # Only the speaker who agreed to a public profile is named.
    assert entry["speakers"] == [{"id": speaker["id"], "name": "Aigerim Sadykova",
                                  "role": "moderator"}]
    # A later edit is not public until the next version.
    client.patch(f"{EVENT}/sessions/{made['id']}", headers=manager,
                 json={"title": {"en": "Renamed"}})
    assert client.get(f"{EVENT}/program?lang=en").get_json()["sessions"][0]["title"] == \
        "Open banking in Central Asia"


def test_languages_fall_back_and_follow_accept_language(client, event, manager):
    _published(client, event, manager)
    title = client.get(f"{EVENT}/program", headers={"Accept-Language": "ru-RU,ru;q=0.9"}
                       ).get_json()["sessions"][0]["title"]
    assert title == "Открытый банкинг"
    assert client.get(f"{EVENT}/program").get_json()["sessions"][0]["room"]["name"] == "Hall A"
    # Russian room name missing: English comes next.
    room = client.get(f"{EVENT}/program?lang=ru").get_json()["sessions"][0]["room"]["name"]
    assert room == "Hall A"


@pytest.mark.parametrize(("query", "found"), [
    ("track=fintech", 1), ("track=ai", 0), ("room=hall-a", 1), ("language=ru", 1),
    ("language=en", 0), ("kind=panel", 1), ("kind=workshop", 0), ("q=banking", 1),
    ("q=SADYKOVA", 1), ("q=hidden", 0), ("q=нет", 0),
])
def test_public_filters(client, event, manager, query, found):
    _published(client, event, manager)
    assert len(client.get(f"{EVENT}/program?{query}").get_json()["sessions"]) == found


def test_day_and_speaker_filters(client, event, manager):
    _made, speaker = _published(client, event, manager)
    first, second = event.starts_on, event.starts_on + timedelta(days=1)
    assert len(client.get(f"{EVENT}/program?day={first}").get_json()["sessions"]) == 1
    assert client.get(f"{EVENT}/program?day={second}").get_json()["sessions"] == []
    assert len(client.get(f"{EVENT}/program?speaker={speaker['id']}").get_json()[
        "sessions"]) == 1
    assert_problem(client.get(f"{EVENT}/program?day=soon"), 422, "validation_failed")


def test_public_session_and_speakers_show_only_consented_fields(client, event, manager):
    made, speaker = _published(client, event, manager)
    detail = client.get(f"{EVENT}/program/sessions/{made['id']}?lang=en").get_json()
    assert detail["description"] == "Line one.\nLine two." and detail["version"]["name"] == "1.0"
    listed = client.get(f"{EVENT}/speakers?lang=ru").get_json()
    assert [s["id"] for s in listed] == [speaker["id"]]
    (profile,) = listed
    assert profile["bio"] == "Строит платежи." and profile["links"] == []  # no consent
    assert profile["sessions"][0]["id"] == made["id"]
    assert client.get(f"{EVENT}/speakers/{speaker['id']}").get_json()["name"] == \
        "Aigerim Sadykova"
    client.patch(f"{EVENT}/speakers/{speaker['id']}", headers=manager,
                 json={"consent": {"profile": False}})
    # A withdrawn consent holds at once, without a new version.
    assert_problem(client.get(f"{EVENT}/speakers/{speaker['id']}"), 404, "speaker_not_found")
    assert client.get(f"{EVENT}/program").get_json()["sessions"][0]["speakers"] == []
    assert_problem(client.get(f"{EVENT}/program/sessions/nope"), 404, "session_not_found")


def test_public_answers_carry_a_strong_etag_and_revalidate(client, event, manager):
    made, speaker = _published(client, event, manager)
    r = client.get(f"{EVENT}/program?lang=en")
    tag = r.headers["ETag"]
    assert not tag.startswith("W/") and "public" in r.headers["Cache-Control"]
    assert "max-age=60" in r.headers["Cache-Control"]
    again = client.get(f"{EVENT}/program?lang=en", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == tag
    # Another language or filter is another answer.
    assert client.get(f"{EVENT}/program?lang=kk").headers["ETag"] != tag
    assert client.get(f"{EVENT}/program?lang=en&kind=panel").headers["ETag"] != tag
    # A speaker's change and a new version both change it.
    client.patch(f"{EVENT}/speakers/{speaker['id']}", headers=manager, json={"name": "A. S."})
    changed = client.get(f"{EVENT}/program?lang=en", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    tag = changed.headers["ETag"]
    client.patch(f"{EVENT}/sessions/{made['id']}", headers=manager,
                 json={"starts_at": _iso(event, 0, "15:00"), "ends_at": _iso(event, 0, "16:00")})
    r = client.post(f"{EVENT}/program/publish", json={"name": "1.1"}, headers=manager)
    assert r.status_code == 201 and [m["id"] for m in r.get_json()["changelog"]["moved"]] == [
        made["id"]]
    fresh = client.get(f"{EVENT}/program?lang=en", headers={"If-None-Match": tag})
    assert fresh.status_code == 200 and fresh.get_json()["version"]["name"] == "1.1"
    speakers_tag = client.get(f"{EVENT}/speakers").headers["ETag"]
    assert client.get(f"{EVENT}/speakers", headers={"If-None-Match": speakers_tag}
                      ).status_code == 304


def test_publishing_answers(client, event, manager):
    assert_problem(client.post(f"{EVENT}/program/publish", json={"name": "1.0"},
                               headers=manager), 409, "nothing_to_publish")
    _published(client, event, manager)
    assert_problem(client.post(f"{EVENT}/program/publish", json={"name": "1.0"},
                               headers=manager), 409, "version_exists")
    assert_problem(client.post(f"{EVENT}/program/publish", json={"name": ""},
                               headers=manager), 422, "validation_failed")
    history = client.get(f"{EVENT}/program/versions", headers=manager).get_json()
    assert [v["name"] for v in history] == ["1.0"]
    staff = client.get(f"{EVENT}/program/speakers", headers=manager).get_json()
    assert {s["name"] for s in staff} == {"Aigerim Sadykova", "Hidden Person"}


def test_speaker_linked_to_a_speaker_registration(client, session, event, manager):
    person = factories.make_participant(session, event, category="speaker")
    attendee = factories.make_participant(session, event)
    session.commit()
    made = _speaker(client, manager, participant=person.public_id)
    assert made["participant"] == person.public_id
    assert_problem(client.post(f"{EVENT}/speakers", headers=manager,
                               json={"name": "X", "participant": attendee.public_id}),
                   409, "participant_not_speaker")
    problem = assert_problem(client.post(f"{EVENT}/speakers", headers=manager,
                                         json={"name": "X", "participant": "nope"}),
                             422, "participant_not_found")
    assert "participant" in problem["errors"]
    r = client.patch(f"{EVENT}/speakers/{made['id']}", headers=manager,
                     json={"participant": None})
    assert r.status_code == 200 and r.get_json()["participant"] is None


def test_replacing_speakers_and_room_hours(client, event, manager):
    _room(client, manager)
    first, second = _speaker(client, manager), _speaker(client, manager, name="Dana Ospan")
    made = _post_session(client, manager, event,
                         speakers=[{"speaker": first["id"], "role": "speaker"}]).get_json()
    r = client.patch(f"{EVENT}/sessions/{made['id']}", headers=manager,
                     json={"speakers": [{"speaker": second["id"], "role": "moderator"},
                                        {"speaker": first["id"], "role": "panelist"}]})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert [(s["speaker"], s["role"]) for s in r.get_json()["speakers"]] == [
        (second["id"], "moderator"), (first["id"], "panelist")]
    problem = assert_problem(
        client.patch(f"{EVENT}/sessions/{made['id']}", headers=manager,
                     json={"speakers": [{"speaker": first["id"]}, {"speaker": first["id"]}]}),
        422, "validation_failed")
    assert "speakers.1.speaker" in problem["errors"]
    # The room's hours may not leave its 10:00 session outside.
    body = assert_problem(client.patch(f"{EVENT}/rooms/hall-a", headers=manager,
                                       json={"opens_at": "10:30"}), 409, "outside_event_days")
    assert body["session"]["id"] == made["id"]
    assert_problem(client.patch(f"{EVENT}/rooms/hall-a", headers=manager,
                                json={"opens_at": "08:00", "closes_at": "07:00"}),
                   422, "validation_failed")
    r = client.patch(f"{EVENT}/rooms/hall-a", headers=manager,
                     json={"opens_at": "08:00", "closes_at": "20:00"})
    assert r.status_code == 200 and r.get_json()["opens_at"].startswith("08:00")
    assert_problem(client.patch(f"{EVENT}/rooms/hall-a", headers=manager,
                                json={"closes_at": "07:30"}), 422, "validation_failed")
    assert_problem(client.delete(f"{EVENT}/speakers/{first['id']}", headers=manager),
                   409, "speaker_in_use")


def test_tracks_and_audit_entries(client, session, event, manager):
    from sqlalchemy import select

    from forum.audit.models import AuditEntry

    _room(client, manager)
    client.post(f"{EVENT}/tracks", headers=manager,
                json={"slug": "ai", "name": {"en": "AI"}, "colour": "#8250df"})
    r = client.patch(f"{EVENT}/tracks/ai", headers=manager, json={"name": {"kk": "ЖИ"}})
    assert r.status_code == 200 and r.get_json()["name"] == {"kk": "ЖИ"}
    made = _post_session(client, manager, event, track="ai").get_json()
    assert_problem(client.delete(f"{EVENT}/tracks/ai", headers=manager), 409, "track_in_use")
    client.patch(f"{EVENT}/sessions/{made['id']}", headers=manager, json={"track": None})
    assert client.delete(f"{EVENT}/tracks/ai", headers=manager).status_code == 204
    assert_problem(client.delete(f"{EVENT}/tracks/ai", headers=manager), 404,
                   "track_not_found")
    client.post(f"{EVENT}/program/publish", json={"name": "v1"}, headers=manager)
    actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert [a for a in actions if not a.startswith("account.")] == [
        "room.create", "track.create", "track.update", "session.create", "session.update",
        "track.delete", "program.publish"]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "program.publish"))
    assert entry.actor.startswith("account:") and entry.data["changes"]["added"] == 1
