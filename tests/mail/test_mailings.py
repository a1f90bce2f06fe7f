"""Organizers' group messages: placeholders, languages, audiences, roles, the log, SMTP."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.accounts.models import Role
from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.mail import mailings
from forum.mail.models import Mailing, MessageStatus, OutboxMessage

from .. import factories
from ..auth import staff_headers
from .conftest import deliver, point_at

BASE = "/api/v1/events/digital-bridge/mailings"


def _body(**audience):
    return {"subject": {"kk": "{event}: жаңалық", "en": "{event}: news"},
            "body": {"kk": "Құрметті {first_name} {last_name}!\n\n{manage_hint}",
                     "en": "Dear {first_name} {last_name} of {delegation},\n\nSee you."},
            "audience": audience}


def _mailing_rows(session):
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "mailing")
                                .order_by(OutboxMessage.id)))


def _world(session, event):
    uz = factories.make_delegation(session, event, country="UZ", name="Uzbekistan")
    kg = factories.make_delegation(session, event, country="KG", name="Kyrgyzstan")
    people = {
        "kk": factories.make_participant(session, event, locale="kk", first_name="Aigerim",
                                         email="kk@example.kz"),
        "ru": factories.make_participant(session, event, locale="ru", first_name="Olga",
                                         email="ru@example.kz"),
        "uz": factories.make_participant(session, event, locale="en", category="delegate",
                                         delegation_code=uz.invitation_code, country="UZ",
                                         first_name="Bek", email="uz@example.uz"),
        "kg": factories.make_participant(session, event, locale="kk", category="delegate",
                                         delegation_code=kg.invitation_code, country="KG",
                                         email="kg@x.kg"),
    }
    session.commit()
    return uz, kg, people


def test_each_person_gets_their_language_or_the_fallback_with_placeholders_filled(
        client, session, event):
    uz, _kg, people = _world(session, event)
    headers = staff_headers(session, Role.ORGANIZER, event=event)
    r = client.post(BASE, json=_body(), headers=headers)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["recipients"] == 4
    rows = {m.to_address: m for m in _mailing_rows(session)}
    assert rows["kk@example.kz"].locale == "kk"
    assert rows["kk@example.kz"].body_text.startswith("Құрметті Aigerim Nurlanqyzy!")
    assert "/register#recover" in rows["kk@example.kz"].body_text  # {manage_hint}, in kk
    assert rows["kk@example.kz"].subject == f"{event.name}: жаңалық"
    # Russian is not written: English comes first in the fallback order.
    assert rows["ru@example.kz"].locale == "en"
    assert rows["ru@example.kz"].body_text.startswith("Dear Olga Nurlanqyzy of ,")
    assert "Dear Bek Nurlanqyzy of Uzbekistan" in rows["uz@example.uz"].body_text
    assert 'lang="kk"' in rows["kk@example.kz"].body_html
    assert all(m.status is MessageStatus.PENDING and m.mailing_id for m in rows.values())
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "mailing.sent"))
    assert entry.data["recipients"] == 4


def test_audience_filters_narrow_the_group(client, session, event):
    uz, _kg, people = _world(session, event)
    factories.make_participant(session, event, category="press", by_organizer=False,
                               email="pending@press.kz")  # pending: not "confirmed"
    session.commit()
    headers = staff_headers(session, Role.ORGANIZER, event=event)
    cases = [({"delegation": uz.public_id}, {"uz@example.uz"}),
             ({"category": "delegate"}, {"uz@example.uz", "kg@x.kg"}),
             ({"country": "kg"}, {"kg@x.kg"}),
             ({}, {"kk@example.kz", "ru@example.kz", "uz@example.uz", "kg@x.kg"}),
             ({"status": "pending"}, {"pending@press.kz"})]
    for audience, expected in cases:
        r = client.post(f"{BASE}/preview", json=_body(**audience), headers=headers)
        assert r.status_code == 200, r.get_json()
        assert r.get_json()["audience_size"] == len(expected), audience
        assert r.get_json()["sample"]["email"] in expected
    assert _mailing_rows(session) == []  # a preview sends nothing
    r = client.post(BASE, json=_body(category="delegate"), headers=headers)
    assert {m.to_address for m in _mailing_rows(session)} == {"uz@example.uz", "kg@x.kg"}


def test_the_preview_renders_one_real_member_in_the_chosen_tab(client, session, event):
    uz, _kg, _people = _world(session, event)
    headers = staff_headers(session, Role.ORGANIZER, event=event)
    r = client.post(f"{BASE}/preview", json={**_body(delegation=uz.public_id), "locale": "kk"},
                    headers=headers)
    sample = r.get_json()["sample"]
    assert r.get_json()["audience_size"] == 1
    assert sample["email"] == "uz@example.uz" and sample["locale"] == "kk"
    assert sample["body_text"].startswith("Құрметті Bek Nurlanqyzy!")
    viewed = session.scalar(select(AuditEntry).where(AuditEntry.target_id == sample[
        "participant_id"], AuditEntry.data["what"].as_string() == "mailing_preview"))
    assert viewed is not None  # the member's name and address were shown
    nobody = client.post(f"{BASE}/preview", json=_body(country="FR"), headers=headers)
    assert nobody.get_json() == {"audience_size": 0, "sample": None}


def test_unknown_placeholders_and_empty_messages_are_refused_with_the_field(
        client, session, event):
    _world(session, event)
    headers = staff_headers(session, Role.ORGANIZER, event=event)
    bad = _body()
    bad["body"]["en"] = "Hello {firstname}"
    r = client.post(BASE, json=bad, headers=headers)
    assert r.status_code == 422 and r.get_json()["code"] == "unknown_placeholder"
    assert "{firstname}" in r.get_json()["errors"]["body.en"][0]
    r = client.post(BASE, json={"subject": {"ru": "Тема"}, "body": {}}, headers=headers)
    assert r.status_code == 422 and r.get_json()["code"] == "empty_mailing"
    assert "body.ru" in r.get_json()["errors"]
    r = client.post(BASE, json=_body(category="nope"), headers=headers)
    assert r.status_code == 422 and "audience.category" in r.get_json()["errors"]
    r = client.post(BASE, json=_body(country="FR"), headers=headers)
    assert r.status_code == 422 and r.get_json()["code"] == "empty_audience"
    assert session.scalar(select(func.count()).select_from(Mailing)) == 0
    assert _mailing_rows(session) == []


def test_scoped_roles_are_refused(client, session, event):
    uz, _kg, _people = _world(session, event)
    head = staff_headers(session, Role.DELEGATION_HEAD, event=event, delegation=uz)
    body = _body(delegation=uz.public_id)
    assert client.post(BASE, json=body, headers=head).status_code == 403
    assert client.post(f"{BASE}/preview", json=body, headers=head).status_code == 403
    assert client.get(BASE, headers=head).status_code == 403
    viewer = staff_headers(session, Role.ACCREDITATION, event=event)
    assert client.post(BASE, json=body, headers=viewer).status_code == 403
    assert _mailing_rows(session) == []


def test_a_rolled_back_mailing_queues_nothing_and_a_committed_one_queues_all(any_app, clock):
    session = db.session
    event = factories.make_event(session, slug="digital-bridge")
    _world(session, event)
    draft = mailings.Draft(subject={"en": "Hi"}, body={"en": "Hi {first_name}"}, audience={})
    mailing = mailings.send(session, event, draft, actor="test", actor_email="", now=clock())
    assert mailing.recipients == 4 and len(_mailing_rows(session)) == 4
    session.rollback()
    assert _mailing_rows(session) == []
    assert session.scalar(select(func.count()).select_from(Mailing)) == 0
    mailings.send(session, event, draft, actor="test", actor_email="", now=clock())
    session.commit()
    assert sorted(m.body_text for m in _mailing_rows(session)) == sorted(
        f"Hi {name}\n" for name in ("Aigerim", "Olga", "Bek", "Aigerim"))


def test_the_log_shows_who_sent_what_with_live_counts_and_kazakh_arrives_by_smtp(
        app, client, session, event, smtp_server, clock):
    point_at(app, smtp_server.port)
    uz, _kg, _people = _world(session, event)
    deliver(clock)  # the confirmations
    headers = staff_headers(session, Role.ORGANIZER, event=event)
    r = client.post(BASE, json=_body(category="delegate"), headers=headers)
    assert r.status_code == 201
    log = client.get(BASE, headers=headers).get_json()
    [entry] = log["items"]
    assert entry["counts"] == {"pending": 2, "sent": 0, "failed": 0}
    assert entry["sent_by"].startswith("staff") and entry["audience"] == {"category": "delegate"}
    outcome = deliver(clock)
    assert outcome.sent == 2
    entry = client.get(BASE, headers=headers).get_json()["items"][0]
    assert entry["counts"] == {"pending": 0, "sent": 2, "failed": 0}
    kazakh = [m for m in smtp_server.sink.received if m["To"] == "kg@x.kg"][-1]
    assert kazakh["Content-Language"] == "kk"
    assert kazakh["Subject"] == f"{event.name}: жаңалық"
    assert kazakh.get_body(("plain",)).get_content().startswith("Құрметті Aigerim Nurlanqyzy!")
    db.session.expire_all()
