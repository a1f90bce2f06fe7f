"""Badge endpoints: the participant's own badge and QR, organizers' reprint, reissue, bulk PDF."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from forum.audit.models import AuditEntry
from forum.badges import service
from forum.badges.models import Badge
from forum.registration.models import Participant

from .. import factories
from ..auth import staff_headers
from ..factories import payload
from ..test_registration_api import assert_problem
from .helpers import decode_image, pdf_pages, render_page, verify

EVENT = "/api/v1/events/digital-bridge"


def _register(client, **body) -> tuple[dict, str]:
    r = client.post(f"{EVENT}/registrations", json=payload(**body))
    assert r.status_code == 201, r.get_data(as_text=True)
    data = r.get_json()
    return {"Authorization": f"Bearer {data['manage_token']}"}, data["id"]


def test_my_qr_png_is_a_code_that_verifies(client, session, event):
    headers, public_id = _register(client)
    r = client.get("/api/v1/registrations/me/qr.png", headers=headers)
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert "no-store" in r.headers["Cache-Control"]
    [code] = decode_image(Image.open(io.BytesIO(r.data)))
    claims = verify(session, event, code)
    badge, participant = service.resolve(session, event, claims)
    assert participant.public_id == public_id and claims.revision == badge.revision == 1
    # The same badge every time (no new revision per download).
    again = client.get("/api/v1/registrations/me/qr.svg", headers=headers)
    assert again.status_code == 200 and again.mimetype == "image/svg+xml"
    assert session.scalar(select(Badge.revision).where(Badge.id == badge.id)) == 1


def test_my_badge_pdf(client, session, event):
    headers, _ = _register(client, first_name="Ерлан", last_name="Серікұлы")
    r = client.get("/api/v1/registrations/me/badge.pdf", headers=headers)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF") and pdf_pages(r.data) == 1
    [code] = decode_image(render_page(r.data))
    verify(session, event, code)
    a4 = client.get("/api/v1/registrations/me/badge.pdf?layout=a4", headers=headers)
    assert a4.status_code == 200 and pdf_pages(a4.data) == 1
    assert_problem(client.get("/api/v1/registrations/me/badge.pdf?layout=a3", headers=headers),
                   422, "validation_failed")


def test_no_badge_until_confirmed(client, session, event):
    headers, _ = _register(client, category="press")  # waits for accreditation
    for path in ("badge.pdf", "qr.png", "qr.svg"):
        assert_problem(client.get(f"/api/v1/registrations/me/{path}", headers=headers),
                       404, "no_badge")
    assert_problem(client.get("/api/v1/registrations/me/qr.png"), 401, "missing_token")
    assert_problem(client.get("/api/v1/registrations/me/qr.png",
                              headers={"Authorization": "Bearer nope"}), 401, "invalid_token")


def test_reissue_by_organizer(client, session, event):
    headers, public_id = _register(client)
    old = decode_image(Image.open(io.BytesIO(
        client.get("/api/v1/registrations/me/qr.png", headers=headers).data)))[0]
    org = staff_headers(session, event=event)
    url = f"{EVENT}/participants/{public_id}/badge"
    assert_problem(client.post(url + "/reissue", json={"reason": "lost"}), 401,
                   "missing_token")
    assert_problem(client.post(url + "/reissue", json={}, headers=org), 422,
                   "validation_failed")
    r = client.post(url + "/reissue", json={"reason": "lost"}, headers=org)
    assert r.status_code == 201
    assert r.get_json()["revision"] == 2 and r.get_json()["category"] == "attendee"
    assert client.get(url, headers=org).get_json()["revision"] == 2
    claims = verify(session, event, old)
    badge, participant = service.resolve(session, event, claims)
    assert service.is_revoked(badge, participant, claims)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "badge.reissue")).one()
    assert entry.data == {"revision": 2, "reason": "lost"} and entry.actor.startswith("account:")
    # The PNG now carries the new revision.
    new = decode_image(Image.open(io.BytesIO(
        client.get("/api/v1/registrations/me/qr.png", headers=headers).data)))[0]
    assert verify(session, event, new).revision == 2


def test_organizer_badge_pdf_and_pending(client, session, event):
    org = staff_headers(session, event=event)
    confirmed = factories.make_participant(session, event)
    pending = factories.make_participant(session, event, category="press", by_organizer=False)
    session.commit()
    r = client.get(f"{EVENT}/participants/{confirmed.public_id}/badge.pdf", headers=org)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert_problem(client.get(f"{EVENT}/participants/{pending.public_id}/badge.pdf",
                              headers=org), 404, "no_badge")
    assert_problem(client.get(f"{EVENT}/participants/{confirmed.public_id}/badge.pdf"),
                   401, "missing_token")


def test_bulk_pdf_filter_order_and_unprinted(client, session, event):
    org = staff_headers(session, event=event)
    uz = factories.make_delegation(session, event, country="UZ", name="Uzbekistan")
    kg = factories.make_delegation(session, event, country="KG", name="Kyrgyzstan")
    for last, group in (("Zeta", uz), ("Alpha", uz), ("Beta", kg), ("Omega", None),
                        ("Aaron", None)):
        factories.make_participant(session, event, last_name=last, category="delegate",
                                   delegation_code=group.invitation_code if group else None)
    factories.make_participant(session, event, last_name="Other", category="speaker")
    session.commit()

    r = client.get(f"{EVENT}/badges.pdf?category=delegate&mark_printed=1", headers=org)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert pdf_pages(r.data) == 5
    # Print order: delegation name (Kyrgyzstan, Uzbekistan, none), then last name.
    names = [session.get(Participant, b.participant_id).last_name for b in session.scalars(
        select(Badge).order_by(Badge.id))]
    assert sorted(names) == sorted(["Zeta", "Alpha", "Beta", "Omega", "Aaron"])
    first_page = verify(session, event, decode_image(render_page(r.data, 1))[0])
    last_page = verify(session, event, decode_image(render_page(r.data, 5))[0])
    assert service.resolve(session, event, first_page)[1].last_name == "Beta"
    assert service.resolve(session, event, last_page)[1].last_name == "Omega"

    by_delegation = client.get(f"{EVENT}/badges.pdf?delegation=UZ&layout=a4", headers=org)
    assert pdf_pages(by_delegation.data) == 1
    assert len(decode_image(render_page(by_delegation.data, 1, dpi=200))) == 2
    # Everything but the speaker was marked printed by the first download.
    unprinted = client.get(f"{EVENT}/badges.pdf?unprinted=1", headers=org)
    [code] = decode_image(render_page(unprinted.data))
    assert service.resolve(session, event, verify(session, event, code))[1].last_name == "Other"
    assert_problem(client.get(f"{EVENT}/badges.pdf?delegation=XX", headers=org), 404,
                   "unknown_delegation")
    assert_problem(client.get(f"{EVENT}/badges.pdf"), 401, "missing_token")


def test_openapi_documents_binary_responses(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    assert "application/pdf" in paths["/api/v1/registrations/me/badge.pdf"]["get"][
        "responses"]["200"]["content"]
    assert "image/png" in paths["/api/v1/registrations/me/qr.png"]["get"]["responses"]["200"][
        "content"]
    assert "image/svg+xml" in paths["/api/v1/registrations/me/qr.svg"]["get"]["responses"][
        "200"]["content"]
    assert "application/pdf" in paths["/api/v1/events/{slug}/badges.pdf"]["get"]["responses"][
        "200"]["content"]


def test_reissue_stops_at_the_last_revision_a_code_can_carry(client, session, event):
    headers, public_id = _register(client)
    org = staff_headers(session, event=event)
    url = f"{EVENT}/participants/{public_id}/badge"
    assert client.get(url, headers=org).status_code == 200  # issued
    participant = session.scalars(select(Participant).where(
        Participant.public_id == public_id)).one()
    badge = service.current_badge(session, participant)
    badge.revision = 65_534
    session.commit()
    assert client.post(url + "/reissue", json={"reason": "lost"},
                       headers=org).get_json()["revision"] == 65_535
    assert_problem(client.post(url + "/reissue", json={"reason": "lost"}, headers=org), 409,
                   "revision_limit")
    assert client.get(url, headers=org).get_json()["revision"] == 65_535  # nothing half-done
    assert client.get(f"{EVENT}/participants/{public_id}/badge.pdf",
                      headers=org).status_code == 200
