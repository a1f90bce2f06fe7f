"""The program's feeds: iCalendar parsed back with icalendar, frab schedule.xml checked with
lxml and the c3voc schedule.json with jsonschema (see schedule_formats for what they require
and where that was read), all from the latest published version only."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

import jsonschema
import pytest
from icalendar import Calendar
from lxml import etree

from forum.accounts.models import Role
from forum.demo.program import build_program
from forum.extensions import db
from tests.auth import staff_headers
from tests.factories import NOW
from tests.program.schedule_formats import FRAB_XSD, SCHEDULE_JSON
from tests.program.test_api import EVENT, _iso, _post_session, _published

XSD = etree.XMLSchema(etree.fromstring(FRAB_XSD.encode()))


@pytest.fixture
def manager(session, event) -> dict:
    return staff_headers(session, Role.PROGRAM, event=event)


def _events(body: bytes) -> list:
    return Calendar.from_ical(body).walk("VEVENT")


def _check_xml(body: bytes) -> etree._Element:
    doc = etree.fromstring(body)
    XSD.assertValid(doc)
    return doc


def _check_json(document: dict) -> None:
    jsonschema.validate(document, SCHEDULE_JSON, format_checker=jsonschema.FormatChecker())
    for day in document["schedule"]["conference"]["days"]:  # formats jsonschema leaves alone
        datetime.fromisoformat(day["day_start"])
        for talks in day["rooms"].values():
            for talk in talks:
                assert datetime.fromisoformat(talk["date"]).utcoffset() is not None


def test_the_calendar_is_the_published_version(client, event, manager):
    made, speaker = _published(client, event, manager)
    r = client.get(f"{EVENT}/program.ics?lang=kk")
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    assert "public" in r.headers["Cache-Control"] and not r.headers["ETag"].startswith("W/")
    (item,) = _events(r.get_data())  # the draft is not there
    assert str(item["summary"]) == "Ашық банкинг"
    assert str(item["uid"]) == f"{made['id']}.digital-bridge@127.0.0.1"
    assert item.decoded("dtstart") == datetime.fromisoformat(_iso(event, 0, "10:00"))
    assert item.decoded("dtstart").tzinfo is not None
    assert item.decoded("dtend") == datetime.fromisoformat(_iso(event, 0, "11:00"))
    assert str(item["location"]) == "А залы, Level 2"
    assert item["categories"].cats == ["Финтех"]
    assert str(item["status"]) == "CONFIRMED" and int(item["sequence"]) == 1
    assert str(item["url"]).endswith(f"/program#session-{made['id']}")
    description = str(item["description"])
    assert "Line one." in description and "Aigerim Sadykova (moderator)" in description
    assert "Hidden Person" not in description  # no public profile
    # DTSTAMP is the version's publication, not the time of the request.
    assert item.decoded("dtstamp") == NOW.astimezone(UTC)
    assert item.decoded("last-modified") == NOW.astimezone(UTC)
    assert "Secret draft" not in r.get_data(as_text=True)


def test_the_calendar_speaks_the_callers_language(client, event, manager):
    _published(client, event, manager)
    ru = client.get(f"{EVENT}/program.ics", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert str(_events(ru.get_data())[0]["summary"]) == "Открытый банкинг"
    en = client.get(f"{EVENT}/program.ics")
    assert str(_events(en.get_data())[0]["summary"]) == "Open banking in Central Asia"
    assert en.headers["ETag"] != ru.headers["ETag"]


@pytest.mark.parametrize(("query", "found"), [
    ("track=fintech", 1), ("track=ai", 0), ("room=hall-a", 1), ("room=hall-b", 0),
    ("speaker=nobody", 0),
])
def test_calendar_filters(client, event, manager, query, found):
    _published(client, event, manager)
    assert len(_events(client.get(f"{EVENT}/program.ics?{query}").get_data())) == found


def test_calendar_per_speaker_and_its_name(client, event, manager):
    _made, speaker = _published(client, event, manager)
    body = client.get(f"{EVENT}/program.ics?speaker={speaker['id']}").get_data()
    calendar = Calendar.from_ical(body)
    assert len(calendar.walk("VEVENT")) == 1
    assert "Aigerim Sadykova" in str(calendar["x-wr-calname"])
    named = Calendar.from_ical(client.get(f"{EVENT}/program.ics?track=fintech").get_data())
    assert str(named["x-wr-calname"]).endswith("Fintech")


def test_repeats_are_identical_and_revalidate(client, event, manager, clock):
    _published(client, event, manager)
    first = client.get(f"{EVENT}/program.ics")
    clock.advance(hours=1)  # a later fetch of the same version
    again = client.get(f"{EVENT}/program.ics")
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    for path in ("program.ics", "schedule.xml", "schedule.json"):
        r = client.get(f"{EVENT}/{path}")
        tag = r.headers["ETag"]
        cached = client.get(f"{EVENT}/{path}", headers={"If-None-Match": tag})
        assert cached.status_code == 304 and cached.get_data() == b""


def test_unpublished_changes_and_cancellations(client, event, manager):
    made, _speaker = _published(client, event, manager)
    client.patch(f"{EVENT}/sessions/{made['id']}", headers=manager,
                 json={"title": {"en": "Renamed"}})
    _post_session(client, manager, event, title={"en": "Added later"},
                  starts_at=_iso(event, 1, "12:00"), ends_at=_iso(event, 1, "13:00"))
    for path in ("program.ics", "schedule.xml", "schedule.json"):
        text = client.get(f"{EVENT}/{path}?lang=en").get_data(as_text=True)
        assert "Renamed" not in text and "Added later" not in text and "Secret draft" not in text
    tag = client.get(f"{EVENT}/program.ics").headers["ETag"]
    client.patch(f"{EVENT}/sessions/{made['id']}", headers=manager, json={"status": "cancelled"})
    r = client.post(f"{EVENT}/program/publish", json={"name": "1.1"}, headers=manager)
    assert r.status_code == 201, r.get_data(as_text=True)
    r = client.get(f"{EVENT}/program.ics?lang=en", headers={"If-None-Match": tag})
    assert r.status_code == 200
    by_title = {str(e["summary"]): e for e in _events(r.get_data())}
    assert str(by_title["Renamed"]["status"]) == "CANCELLED"
    assert int(by_title["Renamed"]["sequence"]) == 2
    assert str(by_title["Renamed"]["uid"]) == f"{made['id']}.digital-bridge@127.0.0.1"
    assert str(by_title["Added later"]["status"]) == "CONFIRMED"
    # The conference formats have no status: a cancelled session leaves them.
    talks = _talks(client.get(f"{EVENT}/schedule.json").get_json())
    assert [t["title"] for t in talks] == ["Added later"]


def _talks(document: dict) -> list[dict]:
    return [talk for day in document["schedule"]["conference"]["days"]
            for talks in day["rooms"].values() for talk in talks]


def test_schedule_json_takes_the_c3voc_shape(client, event, manager):
    made, speaker = _published(client, event, manager)
    r = client.get(f"{EVENT}/schedule.json?lang=ru")
    assert r.status_code == 200 and r.headers["ETag"]
    document = r.get_json()
    _check_json(document)
    schedule = document["schedule"]
    conference = schedule["conference"]
    assert schedule["version"] == "1.0" and schedule["base_url"] == "http://127.0.0.1:8000"
    assert conference["acronym"] == "digital_bridge"
    assert conference["daysCount"] == len(conference["days"]) >= 1
    assert conference["time_zone_name"] == event.timezone
    assert conference["start"] == event.starts_on.isoformat()
    (talk,) = _talks(document)
    assert talk["title"] == "Открытый банкинг" and talk["room"] == "Hall A"
    assert talk["start"] == "10:00" and talk["duration"] == "01:00"
    assert talk["date"] == _iso(event, 0, "10:00") and talk["language"] == "ru"
    assert talk["type"] == "panel" and talk["track"] == "Fintech"
    assert [p["name"] for p in talk["persons"]] == ["Aigerim Sadykova"]
    first_day = conference["days"][0]
    assert first_day["index"] == 1 and list(first_day["rooms"]) == ["Hall A"]


def test_schedule_xml_takes_the_frab_shape(client, event, manager):
    made, _speaker = _published(client, event, manager)
    r = client.get(f"{EVENT}/schedule.xml")
    assert r.status_code == 200 and r.mimetype == "application/xml"
    doc = _check_xml(r.get_data())
    assert doc.findtext("version") == "1.0"
    assert doc.findtext("conference/acronym") == "digital_bridge"
    assert doc.findtext("conference/time_zone_name") == event.timezone
    assert doc.find("conference/track").get("color") == "#00aa00"
    (talk,) = doc.findall("day/room/event")
    assert talk.findtext("title") == "Open banking in Central Asia"
    assert talk.findtext("start") == "10:00" and talk.findtext("duration") == "01:00"
    assert talk.findtext("track") == "Fintech" and talk.findtext("room") == "Hall A"
    assert [p.text for p in talk.findall("persons/person")] == ["Aigerim Sadykova"]
    json_talk = _talks(client.get(f"{EVENT}/schedule.json").get_json())[0]
    assert talk.get("guid") == json_talk["guid"] and int(talk.get("id")) == json_talk["id"]
    # The guid is the same in the next version.
    client.patch(f"{EVENT}/sessions/{made['id']}", headers=manager,
                 json={"starts_at": _iso(event, 0, "15:00"), "ends_at": _iso(event, 0, "16:00")})
    client.post(f"{EVENT}/program/publish", json={"name": "1.1"}, headers=manager)
    moved = _check_xml(client.get(f"{EVENT}/schedule.xml").get_data())
    assert moved.find("day/room/event").get("guid") == talk.get("guid")
    assert moved.findtext("day/room/event/start") == "15:00"


def test_before_any_version_the_feeds_are_empty_but_valid(client, event):
    assert _events(client.get(f"{EVENT}/program.ics").get_data()) == []
    _check_json(client.get(f"{EVENT}/schedule.json").get_json())
    doc = _check_xml(client.get(f"{EVENT}/schedule.xml").get_data())
    assert doc.findall("day/room/event") == []


def test_the_demo_program_exports(client, session, event):
    build_program(session, event, rng=random.Random(7), now=NOW)
    db.session.commit()
    document = client.get(f"{EVENT}/schedule.json?lang=kk").get_json()
    _check_json(document)
    talks = _talks(document)
    assert len(talks) == 150
    assert len({t["guid"] for t in talks}) == len({t["id"] for t in talks}) == 150
    doc = _check_xml(client.get(f"{EVENT}/schedule.xml?lang=ru").get_data())
    assert len(doc.findall("day/room/event")) == 150
    calendar = client.get(f"{EVENT}/program.ics").get_data()
    assert len(_events(calendar)) == 150
    assert json.loads(json.dumps(document)) == document
