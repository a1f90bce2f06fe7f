"""The attendee's mail through the HTTP API, a real SMTP server and the worker's command."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import Role
from forum.extensions import db
from forum.mail.models import MessageStatus, OutboxMessage
from forum.registration.models import Participant

from .. import factories
from ..auth import staff_headers
from .conftest import deliver, manage_link, point_at

REGISTER = "/api/v1/events/digital-bridge/registrations"
RECOVER = "/api/v1/events/digital-bridge/registrations/recover"
OUTBOX = "/api/v1/events/digital-bridge/outbox"


def _worker_once(app) -> str:
    """The contract's command: ``flask --app app forum mail-worker --once``."""
    result = app.test_cli_runner().invoke(args=["forum", "mail-worker", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def _me(client, token: str):
    return client.get("/api/v1/registrations/me", headers={"Authorization": f"Bearer {token}"})


def test_a_kazakh_registration_gets_one_kazakh_message_whose_link_opens_the_manage_page(
        app, client, event, smtp_server):
    point_at(app, smtp_server.port)
    r = client.post(REGISTER, json=factories.payload(locale="kk", email="aigerim@example.kz"))
    assert r.status_code == 201
    assert "sent 1" in _worker_once(app)
    assert "sent 0" in _worker_once(app)  # nothing twice

    [message] = smtp_server.sink.received
    assert message["To"] == "aigerim@example.kz"
    assert message["Content-Language"] == "kk"
    assert "тіркелуіңіз расталды" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "Құрметті Aigerim!" in text
    html = message.get_body(("html",)).get_content()
    assert 'lang="kk"' in html and "cid:badge-qr" in html
    attachments = {part.get_filename(): part.get_content_type()
                   for part in message.iter_attachments()}
    assert attachments.get("badge.pdf") == "application/pdf"
    inline = [part for part in message.walk() if part.get("Content-ID") == "<badge-qr>"]
    assert inline and inline[0].get_content_type() == "image/png"

    token, proof = manage_link(text)
    assert token == r.get_json()["manage_token"]
    me = _me(client, token)
    assert me.status_code == 200 and me.get_json()["email"] == "aigerim@example.kz"
    # The stored copy never held the link: organizers read "[manage link]" in its place.
    stored = db.session.scalar(select(OutboxMessage))
    assert token not in stored.body_text and token not in stored.body_html

    auth = {"Authorization": f"Bearer {token}"}
    bad = client.post("/api/v1/registrations/me/email-proof", json={"proof": "0" * 32},
                      headers=auth)
    assert bad.status_code == 403 and bad.get_json()["code"] == "invalid_email_proof"
    for shape in ("3\u0082", "0" * 31, "A" * 32):  # not a proof's shape: 422, never a 500
        odd = client.post("/api/v1/registrations/me/email-proof", json={"proof": shape},
                          headers=auth)
        assert odd.status_code == 422 and "proof" in odd.get_json()["errors"]
    ok = client.post("/api/v1/registrations/me/email-proof", json={"proof": proof}, headers=auth)
    assert ok.status_code == 200 and ok.get_json()["email_verified_at"]
    assert db.session.scalar(select(Participant.email_verified_at)) is not None


def test_recovery_answers_the_same_for_any_address_and_mails_a_link_that_kills_the_old(
        app, client, event, smtp_server, clock):
    point_at(app, smtp_server.port)
    r = client.post(REGISTER, json=factories.payload(locale="ru", email="olga@example.kz"))
    old = r.get_json()["manage_token"]
    deliver(clock)

    known = client.post(RECOVER, json={"email": "Olga@Example.kz"})
    unknown = client.post(RECOVER, json={"email": "nobody@example.kz"})
    assert known.status_code == unknown.status_code == 202
    assert known.get_json() == unknown.get_json()
    assert _me(client, old).status_code == 200  # the old link works until the new one goes

    outcome = deliver(clock)
    assert outcome.sent == 1 and outcome.voided == 1
    assert len(smtp_server.sink.received) == 2
    mail = smtp_server.sink.received[-1]
    assert mail["To"] == "olga@example.kz" and mail["Content-Language"] == "ru"
    token, _proof = manage_link(mail.get_body(("plain",)).get_content())
    assert token != old
    assert _me(client, token).status_code == 200
    assert _me(client, old).status_code == 401
    # The request for an unregistered address keeps no trace of it.
    assert db.session.scalar(select(OutboxMessage.to_address).where(
        OutboxMessage.status == MessageStatus.VOID)) == ""


def test_already_registered_points_to_the_recovery(client, event):
    body = factories.payload()
    assert client.post(REGISTER, json=body).status_code == 201
    again = client.post(REGISTER, json=body)
    assert again.status_code == 409
    problem = again.get_json()
    assert problem["code"] == "already_registered"
    assert problem["recover"] == RECOVER
    assert "manage link again" in problem["detail"]


def test_failed_messages_are_listed_first_for_organizers_and_can_be_retried(
        app, client, session, event, smtp_server, clock):
    point_at(app, smtp_server.port, FORUM_MAIL_MAX_ATTEMPTS=1)
    factories.make_participant(session, event, email="sent@example.kz")
    session.commit()
    deliver(clock)
    smtp_server.sink.reply = "550 5.1.1 No such mailbox"
    factories.make_participant(session, event, email="bounced@example.kz")
    factories.make_participant(session, event, email="waiting@example.kz")
    session.commit()
    deliver(clock)  # both refused for good: failed after their one attempt
    smtp_server.sink.reply = "250 OK"
    factories.make_participant(session, event, email="later@example.kz")
    session.commit()
    headers = staff_headers(session, Role.ORGANIZER, event=event)

    page = client.get(OUTBOX, headers=headers).get_json()
    assert [m["status"] for m in page["items"]] == ["failed", "failed", "pending", "sent"]
    assert page["counts"] == {"pending": 1, "sent": 1, "failed": 2}
    assert "550" in page["items"][0]["last_error"]
    assert "[manage link]" in page["items"][-1]["body_text"]
    failed = client.get(OUTBOX, query_string={"status": "failed"}, headers=headers).get_json()
    assert {m["to"] for m in failed["items"]} == {"bounced@example.kz", "waiting@example.kz"}

    message_id = failed["items"][0]["id"]
    retried = client.post(f"{OUTBOX}/{message_id}/retry", headers=headers)
    assert retried.status_code == 200 and retried.get_json()["status"] == "pending"
    again = client.post(f"{OUTBOX}/{message_id}/retry", headers=headers)
    assert again.status_code == 409 and again.get_json()["code"] == "message_not_failed"
    assert client.post(f"{OUTBOX}/nope/retry", headers=headers).status_code == 404
    deliver(clock)
    assert {m["To"] for m in smtp_server.sink.received} >= {failed["items"][0]["to"]}


def test_a_delegation_head_does_not_see_the_outbox(client, session, event):
    delegation = factories.make_delegation(session, event)
    session.commit()
    headers = staff_headers(session, Role.DELEGATION_HEAD, event=event, delegation=delegation)
    assert client.get(OUTBOX, headers=headers).status_code == 403


def test_lifecycle_messages_follow_the_registration(app, client, session, event, clock):
    from forum.badges import service as badges
    from forum.registration import service as registration

    press = factories.make_participant(session, event, email="press@example.kz", locale="en")
    session.commit()
    participant = factories.make_participant(session, event, email="x@example.kz", locale="ru")
    registration.cancel(session, participant, now=clock(), actor="test")
    badges.reissue(session, press, now=clock(), actor="test", reason="lost")
    session.commit()
    kinds = [(m.to_address, m.kind) for m in session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id))]
    assert kinds == [("press@example.kz", "confirmed"), ("x@example.kz", "confirmed"),
                     ("x@example.kz", "cancelled"), ("press@example.kz", "badge_reissued")]
