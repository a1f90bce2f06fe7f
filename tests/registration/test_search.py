"""The organizers' participant search: text folding, fragments, every filter, scope, sorting,
paging, and an index that follows every write (registration, self-service, erasure, bulk)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import event as sqlalchemy_event

from forum.accounts.models import Role
from forum.badges import service as badges
from forum.checkin import devices
from forum.checkin.demo import setup_demo_zones
from forum.demo import build_demo
from forum.extensions import db
from forum.registration import search
from forum.registration import service as registration
from forum.registration.models import Participant, Status
from forum.registration.search_index import fold

from .. import factories
from ..auth import staff_headers

URL = "/api/v1/events/digital-bridge/participants"


@pytest.fixture
def session(any_app):
    return db.session


@pytest.fixture
def client(any_app):
    return any_app.test_client()


@pytest.fixture
def event(session):
    event = factories.make_event(session, slug="digital-bridge")
    session.commit()
    return event


@pytest.fixture
def organizer(session, event):
    return staff_headers(session, event=event)


def person(session, event, first: str, last: str, **extra) -> Participant:
    participant = factories.make_participant(session, event, first_name=first, last_name=last,
                                             **extra)
    session.commit()
    return participant


def found(client, headers, **query) -> list[str]:
    answer = client.get(URL, query_string=query, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return [f"{p['first_name']} {p['last_name']}" for p in answer.get_json()["items"]]


@pytest.mark.parametrize(("typed", "stored"), [
    ("әли", "Әлия"), ("ӘЛИ", "Әлия"), ("jose", "José"), ("JOSÉ", "josé"),
    ("нурланкызы", "Нурланқызы"), ("ҰЛАН", "Ұлан"), ("федор", "Фёдор"), ("strasse", "Straße"),
    ("lukasz", "Łukasz"),
])
def test_folding_makes_typed_text_a_substring_of_the_stored_one(typed, stored):
    assert fold(typed) in fold(stored)


@pytest.fixture
def people(session, event):
    return {
        "aliya": person(session, event, "Aliya", "Nurlanqyzy", first_name_cyrillic="Әлия",
                        last_name_cyrillic="Нурланқызы", email="aliya.n@mail.example.kz",
                        phone="+77011234567"),
        "jose": person(session, event, "José", "Müller", email="jm@corp.example.com",
                       organization="Kaspi Bank", country="ES"),
        "zhan": person(session, event, "Zhanaidar", "Ospanov", email="zh.o@example.org"),
    }


@pytest.mark.parametrize(("q", "expected"), [
    ("әли", ["Aliya Nurlanqyzy"]),  # Cyrillic first name, any case
    ("ӘЛИ", ["Aliya Nurlanqyzy"]),
    ("нурл", ["Aliya Nurlanqyzy"]),  # start of a Kazakh surname
    ("ланқыз", ["Aliya Nurlanqyzy"]),  # the middle of it, with a Kazakh letter
    ("ланкыз", ["Aliya Nurlanqyzy"]),  # ... typed on a Russian keyboard
    ("jose", ["José Müller"]),
    ("MUEL", []), ("mull", ["José Müller"]),
    ("rlanq", ["Aliya Nurlanqyzy"]),  # Latin, inside the word
    ("corp.exam", ["José Müller"]),  # email
    ("kaspi", ["José Müller"]),  # organization
    ("1234567", ["Aliya Nurlanqyzy"]),  # phone
    ("jose kaspi", ["José Müller"]),  # every word must match
    ("jose nurl", []),
    ("zh", ["Zhanaidar Ospanov"]),  # short: the start of a word (name and email)
    ("al", ["Aliya Nurlanqyzy"]),
    ("ai", []),  # not "Zhanaidar": the inside of a word needs 3 letters
    ("m", ["José Müller"]),  # "Müller" (one letter: word starts only)
    ("100%", []), ("a_b", []), ('"', []),  # LIKE and MATCH syntax is taken literally
])
def test_text_search(client, organizer, people, q, expected):
    assert found(client, organizer, q=q) == expected


def test_filters(client, session, event, organizer):
    uz = factories.make_delegation(session, event, country="UZ")
    company = factories.make_company(session, event, name="Kaspi Bank")
    a = person(session, event, "Amir", "Abenov", country="KZ")
    b = person(session, event, "Bota", "Bekova", country="UZ", delegation_code=uz.invitation_code)
    c = person(session, event, "Chingiz", "Cherkesov", country="KZ",
               company_code=company.invitation_code)
    d = person(session, event, "Dana", "Dosova", country="KZ", category="press")  # pending
    registration.cancel(session, a, now=factories.NOW, actor="test")
    session.commit()
    assert found(client, organizer, status="pending") == ["Dana Dosova"]
    assert found(client, organizer, status="cancelled") == ["Amir Abenov"]
    assert found(client, organizer, category="delegate") == ["Bota Bekova"]
    assert found(client, organizer, category="nonexistent") == []
    assert found(client, organizer, country="uz") == ["Bota Bekova"]
    assert found(client, organizer, delegation=uz.public_id) == ["Bota Bekova"]
    assert found(client, organizer, company=company.public_id) == ["Chingiz Cherkesov"]
    assert found(client, organizer, company="no-such-company") == []
    assert found(client, organizer, country="KZ", status="confirmed") == ["Chingiz Cherkesov"]
    assert found(client, organizer, country="KZ", q="dos") == ["Dana Dosova"]
    assert {b.id, c.id, d.id} and found(client, organizer, country="KZ", q="dos",
                                        status="confirmed") == []
    # Text beside every broad filter (on PostgreSQL those are then left to the trigram index).
    assert found(client, organizer, category="press", status="pending", country="KZ",
                 q="do", sort="-country") == ["Dana Dosova"]
    assert found(client, organizer, category="exhibitor", q="cherk") == ["Chingiz Cherkesov"]


def test_checked_in_and_badge_printed(client, session, event, organizer):
    gates = setup_demo_zones(session, event, now=factories.NOW)
    _device, token = devices.issue(session, gate=gates["main-entrance"], name="lane 1",
                                   now=factories.NOW, actor="test")
    inside = person(session, event, "Inkar", "Inside")
    person(session, event, "Olzhas", "Outside")
    printed = person(session, event, "Perizat", "Printed")
    code = badges.badge_token(session, badges.ensure_badge(session, inside, now=factories.NOW))
    badges.ensure_badge(session, printed, now=factories.NOW).printed_at = factories.NOW
    session.commit()
    scan = client.post("/api/v1/checkins", headers={"Authorization": f"Bearer {token}"},
                       json={"code": code, "gate": "main-entrance", "nonce": str(uuid.uuid4())})
    assert scan.get_json()["status"] == "ok"
    assert found(client, organizer, checked_in="true") == ["Inkar Inside"]
    assert found(client, organizer, checked_in="false") == ["Olzhas Outside", "Perizat Printed"]
    assert found(client, organizer, badge_printed="true") == ["Perizat Printed"]
    assert found(client, organizer, badge_printed="false", checked_in="false") == [
        "Olzhas Outside"]
    # Leaving again does not undo having come.
    exit_scan = client.post("/api/v1/checkins", headers={"Authorization": f"Bearer {token}"},
                            json={"code": code, "gate": "main-entrance",
                                  "nonce": str(uuid.uuid4())})
    assert exit_scan.status_code == 200
    assert found(client, organizer, checked_in="true") == ["Inkar Inside"]


def test_a_delegation_head_sees_only_their_people_with_filters_and_text(client, session, event):
    uz = factories.make_delegation(session, event, country="UZ")
    tj = factories.make_delegation(session, event, country="TJ", name="Tajikistan")
    for first, last, group in (("Nodira", "Karimova", uz), ("Nodir", "Karimov", tj),
                               ("Bekzod", "Karimov", uz)):
        person(session, event, first, last, country=group.country,
               delegation_code=group.invitation_code)
    person(session, event, "Nodira", "Karimova-Smith")  # on her own
    head = staff_headers(session, Role.DELEGATION_HEAD, event=event, delegation=uz)
    assert found(client, head, q="karim") == ["Bekzod Karimov", "Nodira Karimova"]
    assert found(client, head, q="nodir", status="confirmed", country="UZ") == [
        "Nodira Karimova"]
    assert found(client, head, delegation=tj.public_id) == []
    answer = client.get(URL, query_string={"q": "karim"}, headers=head).get_json()
    assert answer["total"] == 2


def test_sort_orders_and_pages(client, session, event, organizer):
    rows = [("Bota", "Akhmetova", "UZ", 3), ("Aidos", "Akhmetov", "KZ", 1),
            ("Ruslan", "Zhumabayev", "KG", 2), ("Alan", "Akhmetov", "KZ", 0)]
    for first, last, country, hours in rows:
        factories.make_participant(session, event, first_name=first, last_name=last,
                                   country=country, now=factories.NOW + timedelta(hours=hours))
    factories.make_participant(session, event, first_name="Dana", last_name="Dosova",
                               category="press", now=factories.NOW + timedelta(hours=4))
    session.commit()  # Dana: pending, the newest
    by_name = ["Aidos Akhmetov", "Alan Akhmetov", "Bota Akhmetova", "Dana Dosova",
               "Ruslan Zhumabayev"]
    assert found(client, organizer) == by_name
    assert found(client, organizer, sort="-name") == by_name[::-1]
    assert found(client, organizer, sort="created") == [
        "Alan Akhmetov", "Aidos Akhmetov", "Ruslan Zhumabayev", "Bota Akhmetova", "Dana Dosova"]
    assert found(client, organizer, sort="-created")[0] == "Dana Dosova"
    assert found(client, organizer, sort="country") == [
        "Ruslan Zhumabayev", "Aidos Akhmetov", "Alan Akhmetov", "Dana Dosova", "Bota Akhmetova"]
    assert found(client, organizer, sort="status") == [  # confirmed < pending
        "Aidos Akhmetov", "Alan Akhmetov", "Bota Akhmetova", "Ruslan Zhumabayev", "Dana Dosova"]
    pages = [client.get(URL, query_string={"per_page": 2, "page": n}, headers=organizer
                        ).get_json() for n in (1, 2, 3, 4)]
    assert [f"{p['first_name']} {p['last_name']}" for page in pages for p in page["items"]
            ] == by_name
    assert {(p["total"], p["total_exact"], p["per_page"]) for p in pages} == {(5, True, 2)}
    assert [p["page"] for p in pages] == [1, 2, 3, 4]


def test_counting_stops_at_the_limit(client, session, event, organizer, monkeypatch):
    for n in range(6):
        person(session, event, f"Name{n}", f"Surname{n}")
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    first = client.get(URL, query_string={"per_page": 2}, headers=organizer).get_json()
    assert (first["total"], first["total_exact"]) == (3, False)
    deep = client.get(URL, query_string={"per_page": 2, "page": 3}, headers=organizer).get_json()
    assert (deep["total"], deep["total_exact"]) == (6, True)  # counted as far as the page
    one_page = client.get(URL, query_string={"q": "surname1"}, headers=organizer).get_json()
    assert (one_page["total"], one_page["total_exact"]) == (1, True)
    by_text = client.get(URL, query_string={"q": "surname", "per_page": 2},
                         headers=organizer).get_json()
    # PostgreSQL counts text matches exactly in the page's own pass; SQLite stops at the limit.
    assert (by_text["total"], by_text["total_exact"]) in {(6, True), (3, False)}
    assert len(by_text["items"]) == 2


@pytest.mark.parametrize(("query", "field"), [
    ({"sort": "email"}, "sort"), ({"sort": "-"}, "sort"), ({"country": "XX"}, "country"),
    ({"country": "KAZ"}, "country"), ({"checked_in": "maybe"}, "checked_in"),
    ({"per_page": 500}, "per_page"), ({"q": ""}, "q"),
])
def test_invalid_filters_are_422(client, organizer, event, query, field):
    answer = client.get(URL, query_string=query, headers=organizer)
    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]


def test_a_changed_name_is_found_by_the_new_name_only(client, session, event, organizer):
    participant = person(session, event, "Aruzhan", "Sadykova", last_name_cyrillic="Садыкова")
    registration.update_self(session, participant, {"last_name": "Bekova",
                                                    "last_name_cyrillic": "Бекова"},
                             now=factories.NOW)
    session.commit()
    assert found(client, organizer, q="sadyk") == []
    assert found(client, organizer, q="садык") == []
    assert found(client, organizer, q="беков") == ["Aruzhan Bekova"]


def test_an_erased_registration_is_not_found_by_its_old_data(client, session, event, organizer):
    participant = person(session, event, "Yerlan", "Tokhtarov", email="yerlan.t@example.kz")
    registration.cancel(session, participant, now=factories.NOW, erase=True)
    session.commit()
    for q in ("tokht", "yerlan", "yerlan.t@"):
        assert found(client, organizer, q=q) == []
    assert session.get(Participant, participant.id).status is Status.CANCELLED


def test_a_reused_cancelled_registration_is_found_by_its_new_name(client, session, event,
                                                                  organizer):
    participant = person(session, event, "Old", "Name", email="again@example.kz")
    registration.cancel(session, participant, now=factories.NOW, actor="test")
    person(session, event, "Fresh", "Surname", email="again@example.kz")
    assert found(client, organizer, q="surn") == ["Fresh Surname"]
    assert found(client, organizer, q="old") == []


def test_demo_bulk_insert_is_searchable(client, session):
    build_demo(session, slug="digital-bridge", participants=40, seed=3, now=factories.NOW)
    session.commit()
    headers = staff_headers(session, event=session.get(Participant, 1).event)
    for p in session.query(Participant).limit(10):
        names = found(client, headers, q=p.last_name[1:5], per_page=200)
        assert f"{p.first_name} {p.last_name}" in names
        if p.last_name_cyrillic:
            names = found(client, headers, q=p.last_name_cyrillic.upper(), per_page=200)
            assert f"{p.first_name} {p.last_name}" in names


def test_a_dense_text_walks_the_sort_index_and_finds_the_same_pages(client, session,
                                                                    monkeypatch):
    """On SQLite a text with many matches is found by walking the sort order's index; the
    pages and totals are those the matches' own rows give (PostgreSQL: one plan, same test)."""
    build_demo(session, slug="digital-bridge", participants=300, seed=7, now=factories.NOW)
    session.commit()
    headers = staff_headers(session, event=session.get(Participant, 1).event)
    fragments = ["ov", "an", "kyzy", "a", "e"]
    filters = [{}, {"country": "KZ"}, {"status": "confirmed"}, {"category": "attendee"},
               {"country": "KZ", "status": "confirmed", "checked_in": "false"}]
    sorts = ["name", "-name", "created", "country", "-status"]

    def pages() -> list:
        answers = []
        for q in fragments:
            for where in filters:
                for sort in sorts:
                    for page in (1, 3):
                        body = client.get(URL, headers=headers, query_string={
                            "q": q, "sort": sort, "page": page, "per_page": 7, **where}
                        ).get_json()
                        answers.append(([p["id"] for p in body["items"]], body["total"],
                                        body["total_exact"]))
        return answers

    monkeypatch.setattr(search, "WALK_FROM", 10**9)
    fetched = pages()
    monkeypatch.setattr(search, "WALK_FROM", 1)
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    sqlalchemy_event.listen(db.engine, "before_cursor_execute", record)
    try:
        walked = pages()
    finally:
        sqlalchemy_event.remove(db.engine, "before_cursor_execute", record)
    assert walked == fetched
    assert sum(len(ids) for ids, *_ in fetched) > 500  # the pages are not empty
    if db.engine.dialect.name == "sqlite":
        assert any("+participant.id IN" in s for s in statements)
