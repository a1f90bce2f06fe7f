"""Erasure, open data and the purge command, through HTTP and the CLI."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts.models import Role
from forum.privacy import open_data
from forum.registration import service as registration
from forum.registration.models import Participant

from .. import factories
from ..auth import staff_headers

BASE = "/api/v1/events/digital-bridge"


def erase_url(participant) -> str:
    return f"{BASE}/participants/{participant.public_id}/erase"


@pytest.fixture
def person(session, event):
    found = factories.make_participant(session, event, first_name="Aigerim",
                                       email="aigerim@example.kz")
    session.commit()
    return found


def test_organizer_erases_and_again(client, session, event, person):
    headers = staff_headers(session, event=event)
    for _ in range(2):
        r = client.post(erase_url(person), json={"reason": "Asked by email"}, headers=headers)
        assert r.status_code == 200, r.json
        assert r.json == {"id": person.public_id, "status": "cancelled", "erased": True}
    row = session.scalar(select(Participant).where(Participant.public_id == person.public_id))
    assert row.first_name == "" and registration.is_erased(row)
    # The person may register again with the same address.
    again = client.post(f"{BASE}/registrations", json=factories.payload(
        email="aigerim@example.kz"))
    assert again.status_code == 201 and again.json["id"] != person.public_id


@pytest.mark.parametrize("role", [Role.DELEGATION_HEAD, Role.COMPANY_MANAGER, Role.VIEWER,
                                  Role.ACCREDITATION])
def test_other_roles_may_not_erase(client, session, event, role):
    delegation = factories.make_delegation(session, event)
    member = factories.make_participant(session, event, category="delegate",
                                        delegation_code=delegation.invitation_code)
    headers = staff_headers(session, role, event=event, delegation=delegation,
                            company=factories.make_company(session, event))
    r = client.post(erase_url(member), json={"reason": "mine"}, headers=headers)
    assert r.status_code == 403 and r.json["code"] == "insufficient_role"
    assert not registration.is_erased(session.get(Participant, member.id))


@pytest.mark.parametrize("body, status, code", [
    ({}, 422, "validation_failed"),
    ({"reason": ""}, 422, "validation_failed"),
    ({"reason": "   "}, 422, "reason_required"),
    ({"reason": 5}, 422, "validation_failed"),
])
def test_erase_needs_a_reason(client, session, event, person, body, status, code):
    r = client.post(erase_url(person), json=body, headers=staff_headers(session, event=event))
    assert (r.status_code, r.json["code"]) == (status, code)
    assert "reason" in r.json["errors"]


def test_erase_unknown_participant(client, session, event):
    r = client.post(f"{BASE}/participants/nobody/erase", json={"reason": "x"},
                    headers=staff_headers(session, event=event))
    assert r.status_code == 404 and r.json["code"] == "participant_not_found"


# --- open data ---------------------------------------------------------------------------

@pytest.fixture
def crowd(session, event):
    """12 confirmed from KZ (attendees), 6 from UZ, 3 from MN; 2 pending from KG."""
    for country, n in (("KZ", 12), ("UZ", 6), ("MN", 3)):
        for _ in range(n):
            factories.make_participant(session, event, country=country)
    for _ in range(2):
        factories.make_participant(session, event, country="KG", category="press")
    session.commit()


def test_small_counts_never_show_and_totals_do_not_reveal_them(client, session, event, crowd):
    r = client.get(f"{BASE}/open-data", headers=staff_headers(session, Role.VIEWER,
                                                               event=event))
    assert r.status_code == 200, r.json
    body = r.json
    assert body["total"] == 21 and body["threshold"] == 5
    countries = {row["value"]: row["count"] for row in body["tables"]["country"]}
    assert "KG" not in countries  # pending people are not counted
    assert countries["MN"] is None
    # MN alone withheld would be 21 - 12 - 6: its smallest neighbour is withheld with it.
    assert countries == {"KZ": 12, "MN": None, "UZ": None}
    assert body["tables"]["category"] == [{"value": "attendee", "count": 21}]
    assert body["tables"]["organization_kind"] == [{"value": "individual", "count": 21}]
    day = factories.NOW.astimezone(open_data.ZoneInfo("Asia/Almaty")).date().isoformat()
    assert body["tables"]["registration_day"] == [{"value": day, "count": 21}]


def test_open_data_as_csv(client, session, event, crowd):
    r = client.get(f"{BASE}/open-data", query_string={"format": "csv"},
                   headers=staff_headers(session, event=event))
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert rows[:2] == [["table", "value", "count"], ["total", "", "21"]]
    assert ["country", "MN", ""] in rows and ["country", "UZ", ""] in rows
    assert ["country", "KZ", "12"] in rows


def test_open_data_refuses_scoped_roles_and_bad_formats(client, session, event):
    head = staff_headers(session, Role.DELEGATION_HEAD, event=event,
                         delegation=factories.make_delegation(session, event))
    assert client.get(f"{BASE}/open-data", headers=head).status_code == 403
    r = client.get(f"{BASE}/open-data", query_string={"format": "xml"},
                   headers=staff_headers(session, event=event))
    assert r.status_code == 422 and "format" in r.json["errors"]


@pytest.mark.parametrize("tables, total, shown", [
    # Nothing small: everything shows.
    ({"a": {"x": 5, "y": 7}}, 12, {"a": {"x": 5, "y": 7}}),
    # One small cell: its smallest neighbour goes with it; the rest shows.
    ({"a": {"x": 3, "y": 6, "z": 9}}, 18, {"a": {"x": None, "y": None, "z": 9}}),
    # Two small cells adding up to under 5: a third is withheld too.
    ({"a": {"x": 1, "y": 2, "z": 6, "w": 9}}, 18, {"a": {"x": None, "y": None, "z": None,
                                                         "w": 9}}),
    # Fewer than 5 people: nothing shows, not even the total.
    ({"a": {"x": 2, "y": 2}, "b": {"p": 4}}, None, {"a": {"x": None, "y": None},
                                                    "b": {"p": None}}),
    # Withheld cells all ones: the total would pin them, so it is withheld, and the table
    # that would give it back by adding up withholds its two smallest cells.
    ({"a": {f"x{i:02}": 1 for i in range(15)}, "b": {"p": 5, "q": 5, "r": 5}}, None,
     {"a": {f"x{i:02}": None for i in range(15)}, "b": {"p": None, "q": None, "r": 5}}),
])
def test_protection_method(tables, total, shown):
    assert open_data.protect(tables) == (total, shown)


# --- the purge command ---------------------------------------------------------------------

def test_purge_command(app, session, event):
    cancelled = factories.make_participant(session, factories.make_event(
        session, ends_on=factories.TODAY + timedelta(days=30)))
    registration.cancel(session, cancelled, now=factories.NOW, actor="org")
    session.commit()
    runner = app.test_cli_runner()
    later = (factories.NOW + timedelta(days=100)).isoformat()
    dry = runner.invoke(args=["forum", "purge", "--dry-run", "--now", later])
    assert dry.exit_code == 0, dry.output
    assert "dry run" in dry.output and "cancelled registrations erased: 1" in dry.output
    assert "past editions: digital-bridge" in dry.output
    session.expire_all()
    assert not registration.is_erased(session.get(Participant, cancelled.id))
    done = runner.invoke(args=["forum", "purge", "--now", later])
    assert done.exit_code == 0 and "cancelled registrations erased: 1" in done.output
    session.expire_all()
    assert registration.is_erased(session.get(Participant, cancelled.id))
    naive = runner.invoke(args=["forum", "purge", "--now", "2026-01-01T00:00:00"])
    assert naive.exit_code != 0 and "offset" in naive.output


def test_purge_uses_the_app_clock(app, session, clock):
    event = factories.make_event(session)
    person = factories.make_participant(session, event)
    registration.cancel(session, person, now=factories.NOW, actor="org")
    session.commit()
    runner = app.test_cli_runner()
    assert "cancelled registrations erased: 0" in runner.invoke(args=["forum", "purge"]).output
    clock.advance(days=100)
    out = runner.invoke(args=["forum", "purge"]).output
    assert f"past editions: {event.slug}" in out and "retention 90 days" in out
