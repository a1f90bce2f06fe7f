"""The event's place in three languages: organizers name it, every reader sees it in theirs."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import Role
from forum.audit.models import AuditEntry

from ..auth import staff_headers
from ..test_registration_api import assert_problem

EVENT = "/api/v1/events/digital-bridge"
PLACE = {"venue_names": {"en": "EXPO Congress Centre", "ru": "Конгресс-центр EXPO",
                         "kk": "EXPO конгресс-орталығы"},
         "city_names": {"en": "Astana", "ru": "Астана", "kk": "Астана"}}


def test_organizer_names_the_venue_and_the_public_view_carries_every_language(
        client, session, event):
    r = client.patch(EVENT, json=PLACE, headers=staff_headers(session, event=event))
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.json["venue_names"] == PLACE["venue_names"]
    shown = client.get(EVENT).json
    assert shown["venue_names"]["kk"] == "EXPO конгресс-орталығы"
    assert shown["city_names"]["ru"] == "Астана"
    # The base texts follow the English names, for readers that know only ``venue``.
    assert (shown["venue"], shown["city"]) == ("EXPO Congress Centre", "Astana")
    assert shown["place"] == {"kk": "EXPO конгресс-орталығы, Астана",
                              "ru": "Конгресс-центр EXPO, Астана",
                              "en": "EXPO Congress Centre, Astana"}
    session.expire_all()
    assert event.place_in("kk") == "EXPO конгресс-орталығы, Астана"
    assert event.place_in("en") == "EXPO Congress Centre, Astana"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "event.update"))
    assert entry.data == {"fields": ["city_names", "venue_names"]}


def test_a_missing_language_falls_back_and_a_partial_patch_keeps_the_rest(
        client, session, event):
    headers = staff_headers(session, event=event)
    assert client.patch(EVENT, json=PLACE, headers=headers).status_code == 200
    r = client.patch(EVENT, json={"venue_names": {"ru": "Дворец мира и согласия"}},
                     headers=headers)
    assert r.status_code == 200
    session.expire_all()
    assert event.venue_in("kk") == "Дворец мира и согласия"  # kk missing: en missing: ru
    assert event.venue == "Дворец мира и согласия"
    assert event.city_in("kk") == "Астана"


def test_bad_names_are_refused_with_field_messages_and_nothing_changes(client, session, event):
    headers = staff_headers(session, event=event)
    for body, field in (({"venue_names": {"de": "Messe"}}, "venue_names"),
                        ({"venue_names": {}}, "venue_names"),
                        ({"city_names": {"en": "x" * 101}}, "city_names.en.value")):
        problem = assert_problem(client.patch(EVENT, json=body, headers=headers), 422,
                                 "validation_failed")
        assert field in problem["errors"], problem
    session.expire_all()
    assert event.venue_names == {} and event.venue == "EXPO Congress Centre"


def test_only_staff_with_the_event_permission_rename_the_venue(client, session, event):
    assert_problem(client.patch(EVENT, json=PLACE), 401, "missing_token")
    viewer = staff_headers(session, Role.VIEWER, event=event)
    assert_problem(client.patch(EVENT, json=PLACE, headers=viewer), 403, "insufficient_role")
