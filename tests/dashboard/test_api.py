"""The dashboard's figures over a small known dataset, its privacy, and its ETag."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from forum.accounts import service as accounts
from forum.accounts.models import Role
from forum.extensions import db
from forum.organizations.models import CompanyStatus
from forum.registration import service as registration
from tests import factories
from tests.auth import make_account, staff_headers
from tests.factories import NOW, TODAY

URL = "/api/v1/events/digital-bridge/dashboard"
D = TODAY  # 14:00 in Astana (UTC+5) when the suite's clock reads 09:00 UTC


def _utc(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=NOW.tzinfo)


def _dataset(session, event):
    """Seven people at known moments; Asia/Almaty is UTC+5, so 19:30 UTC is the next day."""
    yesterday = D - timedelta(days=1)
    delegation = factories.make_delegation(session, event, country="UZ", quota=1,
                                           head_name="Aziz Karimov", head_email="aziz@gov.uz")
    company = factories.make_company(session, event, name="Qazaq Cloud", quota=5)
    factories.make_company(session, event, name="Waiting LLP", status=CompanyStatus.PENDING)
    people = [
        (_utc(D - timedelta(days=3), 10), {"country": "KZ"}),  # D-3 15:00 local
        (_utc(yesterday, 18, 30), {"country": "KZ"}),  # D-1 23:30 local
        (_utc(yesterday, 19, 30), {"country": "UZ",  # D 00:30 local
                                   "delegation_code": delegation.invitation_code}),
        (_utc(yesterday, 23, 30), {"country": "UZ",  # D 04:30 local: waitlisted (quota 1)
                                   "delegation_code": delegation.invitation_code}),
        (_utc(D, 8), {"country": "TR", "company_code": company.invitation_code}),
        (_utc(D, 8, 30), {"country": "DE", "category": "press"}),  # pending approval
        (NOW, {"country": "KZ", "first_name": "Zhanar", "email": "zhanar@example.kz"}),
    ]
    made = [factories.make_participant(session, event, now=at, by_organizer=False, **data)
            for at, data in people]
    gone = factories.make_participant(session, event, now=_utc(D, 7), country="KZ")
    registration.cancel(session, gone, now=NOW)  # cancelled: in no figure
    session.commit()
    return made, delegation, company


def test_figures_of_a_known_dataset(client, session, event):
    _made, delegation, company = _dataset(session, event)
    r = client.get(f"{URL}?top=2", headers=staff_headers(session, Role.VIEWER, event=event))
    assert r.status_code == 200, r.get_data(as_text=True)
    body = r.get_json()
    assert body["timezone"] == "Asia/Almaty" and body["day"] == D.isoformat()

    days = [(d["day"], d["count"], d["cumulative"]) for d in body["registrations"]]
    assert days == [((D - timedelta(days=3)).isoformat(), 1, 1),
                    ((D - timedelta(days=2)).isoformat(), 0, 1),
                    ((D - timedelta(days=1)).isoformat(), 1, 2),
                    (D.isoformat(), 5, 7)]

    categories = {c["slug"]: c for c in body["categories"]}
    assert categories["attendee"] | {"names": None} == {
        "slug": "attendee", "names": None, "quota": None, "taken": 3, "confirmed": 3,
        "pending": 0, "waitlisted": 0}
    assert (categories["delegate"]["confirmed"], categories["delegate"]["waitlisted"]) == (1, 1)
    assert categories["press"]["pending"] == 1 and categories["exhibitor"]["taken"] == 1

    assert body["countries"] == {"top": [{"country": "KZ", "count": 3},
                                         {"country": "UZ", "count": 2}],
                                 "other": {"countries": 2, "count": 2}, "total": 7}
    assert body["delegations"] == [{
        "id": delegation.public_id, "name": delegation.name, "country": "UZ", "quota": 1,
        "taken": 1, "confirmed": 1, "pending": 0, "waitlisted": 1}]
    [top] = body["companies"]["top"][:1]
    assert (top["id"], top["taken"], top["quota"]) == (company.public_id, 1, 5)
    totals = body["companies"]["totals"]
    assert (totals["companies"], totals["approved"], totals["pending"]) == (2, 1, 1)
    assert totals["members"] == {"confirmed": 1, "pending": 0, "waitlisted": 0}
    assert body["pending"] == {"participants": 1, "companies": 1}
    assert body["capacity"] == {"quota": None, "taken": 5}
    assert set(body["checkin"]) >= {"inside", "admissions"}  # the event runs today


def test_no_personal_data_in_the_figures(client, session, event):
    _, delegation, company = _dataset(session, event)
    text = client.get(URL, headers=staff_headers(session, Role.VIEWER, event=event)
                      ).get_data(as_text=True)
    # Invitation codes are secrets too; public ids are random and may contain "D-" by chance.
    for personal in ("Zhanar", "zhanar@example.kz", "Aigerim", "Nurlanqyzy", "@example.kz",
                     "Aziz Karimov", "aziz@gov.uz", delegation.invitation_code,
                     company.invitation_code):
        assert personal not in text


def test_only_figure_holders_read_it(client, session, event):
    delegation = factories.make_delegation(session, event)
    session.commit()
    head = staff_headers(session, Role.DELEGATION_HEAD, event=event, delegation=delegation)
    assert client.get(URL, headers=head).status_code == 403
    supervisor = staff_headers(session, Role.CHECKIN_SUPERVISOR, event=event)
    assert client.get(URL, headers=supervisor).status_code == 200


def test_repeated_poll_is_not_modified_until_something_changes(client, session, event):
    headers = staff_headers(session, Role.VIEWER, event=event)
    first = client.get(URL, headers=headers)
    tag = first.headers["ETag"]
    assert tag.startswith('W/"') and "no-cache" in first.headers["Cache-Control"]
    again = client.get(URL, headers={**headers, "If-None-Match": tag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag
    other_top = client.get(f"{URL}?top=3", headers={**headers, "If-None-Match": tag})
    assert other_top.status_code == 200  # another question, another tag

    factories.make_participant(session, event)
    session.commit()
    changed = client.get(URL, headers={**headers, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert changed.get_json()["registrations"][-1]["cumulative"] == 1


def test_a_new_day_changes_the_tag_and_check_in_figures_stop_after_the_event(
        client, session, event, clock):
    headers = staff_headers(session, Role.VIEWER, event=event)
    factories.make_participant(session, event)
    session.commit()
    tag = client.get(URL, headers=headers).headers["ETag"]
    clock.advance(days=5)
    account = make_account(session, role=Role.VIEWER, event=event)
    token = accounts.issue_token(session, account, now=clock(), lifetime=timedelta(hours=1))
    session.commit()
    later = client.get(URL, headers={"Authorization": f"Bearer {token}", "If-None-Match": tag})
    assert later.status_code == 200 and later.get_json()["checkin"] is None
    assert len(later.get_json()["registrations"]) == 6  # today and five quiet days after


@pytest.mark.parametrize("query", ["top=0", "top=101", "top=many"])
def test_bad_query_is_422(client, session, event, query):
    r = client.get(f"{URL}?{query}", headers=staff_headers(session, Role.VIEWER, event=event))
    assert r.status_code == 422 and "top" in r.get_json()["errors"]


def test_per_day_on_both_backends(any_app):
    """PostgreSQL groups by the local date itself, SQLite by offset: the same answer."""
    from forum.dashboard import days

    session = db.session
    event = factories.make_event(session, slug="digital-bridge")
    for at in (_utc(D - timedelta(days=1), 18, 59), _utc(D - timedelta(days=1), 19, 0), NOW):
        factories.make_participant(session, event, now=at)
    session.commit()
    found = days.per_day(session, event, until=D)
    assert [(d["day"], d["count"], d["cumulative"]) for d in found] == [
        (D - timedelta(days=1), 1, 1), (D, 2, 3)]
