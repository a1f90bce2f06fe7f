"""The participant desk over HTTP: detail with history, corrections, moves, bulk actions."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import Role
from forum.audit.models import AuditEntry
from forum.badges import service as badges
from forum.registration.models import Participant, Status

from .. import factories
from ..auth import staff_headers
from ..test_registration_api import assert_problem

EVENT = "/api/v1/events/digital-bridge/participants"


def test_detail_shows_badge_and_history_and_logs_the_view(client, session, event):
    person = factories.make_participant(session, event, last_name="Жұмабаев")
    badges.ensure_badge(session, person, now=factories.NOW)
    session.commit()
    headers = staff_headers(session, event=event)
    r = client.get(f"{EVENT}/{person.public_id}", headers=headers)
    assert r.status_code == 200
    body = r.json
    assert body["last_name"] == "Жұмабаев" and body["badge"]["revision"] == 1
    assert [h["action"] for h in body["history"]] == ["registration.create"]
    views = session.scalars(select(AuditEntry).where(
        AuditEntry.action == "participant.view")).all()
    assert [v.target_id for v in views] == [person.public_id]


def test_edit_needs_a_reason_and_keeps_before_and_after(client, session, event):
    person = factories.make_participant(session, event, first_name="Aigerm")
    other = factories.make_participant(session, event)
    session.commit()
    headers = staff_headers(session, event=event)
    url = f"{EVENT}/{person.public_id}"
    assert_problem(client.patch(url, headers=headers, json={"first_name": "Aigerim"}), 422,
                   "validation_failed")
    assert_problem(client.patch(url, headers=headers, json={
        "email": other.email, "reason": "typo"}), 409, "already_registered")
    r = client.patch(url, headers=headers, json={"first_name": "Aigerim",
                                                 "reason": "misspelt at registration"})
    assert r.status_code == 200 and r.json["first_name"] == "Aigerim"
    change = r.json["history"][0]
    assert change["action"] == "registration.edit"
    assert change["data"] == {"reason": "misspelt at registration",
                              "before": {"first_name": "Aigerm"},
                              "after": {"first_name": "Aigerim"}}


def test_category_change_moves_the_seat_or_nothing(client, session):
    event = factories.make_event(session, slug="digital-bridge", category_quotas={"vip": 1})
    vip = factories.make_participant(session, event, category="vip")
    guest = factories.make_participant(session, event)
    session.commit()
    headers = staff_headers(session, event=event)
    url = f"{EVENT}/{guest.public_id}/category"
    move = {"category": "vip", "reason": "minister"}
    assert_problem(client.post(url, headers=headers, json=move), 409, "category_full")
    session.expire_all()
    assert session.get(Participant, guest.id).category.slug == "attendee"
    assert client.post(f"{EVENT}/{vip.public_id}/category", headers=headers, json={
        "category": "speaker", "reason": "keynote"}).status_code == 200
    r = client.post(url, headers=headers, json=move)
    assert r.status_code == 200 and r.json["category"] == "vip"
    session.expire_all()
    cats = {c.slug: c.taken for c in session.get(Participant, guest.id).event.categories}
    assert cats["vip"] == 1 and cats["attendee"] == 0 and cats["speaker"] == 1


def test_bulk_approve_is_all_or_nothing(client, session, event):
    pending = [factories.make_participant(session, event, category="press", by_organizer=False)
               for _ in range(3)]
    confirmed = factories.make_participant(session, event)
    session.commit()
    assert {p.status for p in pending} == {Status.PENDING}
    headers = staff_headers(session, event=event)
    ids = [p.public_id for p in pending]
    r = client.post(f"{EVENT}/bulk", headers=headers, json={
        "ids": [*ids, confirmed.public_id, "no-such-id"], "action": "approve"})
    body = assert_problem(r, 409, "bulk_failed")
    assert {(f["id"], f["code"]) for f in body["failures"]} == {
        (confirmed.public_id, "not_pending"), ("no-such-id", "participant_not_found")}
    session.expire_all()
    assert {session.get(Participant, p.id).status for p in pending} == {Status.PENDING}
    r = client.post(f"{EVENT}/bulk", headers=headers, json={"ids": ids, "action": "approve",
                                                           "reason": "accredited"})
    assert r.status_code == 200 and r.json["done"] == 3
    session.expire_all()
    assert {session.get(Participant, p.id).status for p in pending} == {Status.CONFIRMED}


def test_reject_keeps_the_reason(client, session, event):
    person = factories.make_participant(session, event, category="press", by_organizer=False)
    session.commit()
    headers = staff_headers(session, Role.ACCREDITATION, event=event)
    r = client.post(f"{EVENT}/{person.public_id}/reject", headers=headers,
                    json={"reason": "No press card"})
    assert r.json["status"] == "rejected"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "registration.reject"))
    assert entry.data["reason"] == "No press card"


def test_scoped_roles_see_their_own_and_nobody_else(client, session, event):
    mine = factories.make_delegation(session, event, country="UZ")
    theirs = factories.make_delegation(session, event, country="TJ", name="Tajikistan")
    member = factories.make_participant(session, event, delegation_code=mine.invitation_code)
    outsider = factories.make_participant(session, event, delegation_code=theirs.invitation_code)
    session.commit()
    headers = staff_headers(session, Role.DELEGATION_HEAD, event=event, delegation=mine)
    assert client.get(f"{EVENT}/{member.public_id}", headers=headers).status_code == 200
    assert_problem(client.get(f"{EVENT}/{outsider.public_id}", headers=headers), 404,
                   "participant_not_found")
    assert client.patch(f"{EVENT}/{member.public_id}", headers=headers, json={
        "job_title": "Deputy minister", "reason": "title corrected"}).status_code == 200
    assert_problem(client.patch(f"{EVENT}/{outsider.public_id}", headers=headers, json={
        "job_title": "x", "reason": "not mine"}), 404, "participant_not_found")
    assert_problem(client.post(f"{EVENT}/bulk", headers=headers, json={
        "ids": [member.public_id], "action": "cancel"}), 403, "insufficient_role")
