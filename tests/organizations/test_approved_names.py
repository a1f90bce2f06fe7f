"""GET /events/{event}/companies/approved: the form's suggestions, names and nothing else."""

from __future__ import annotations

from forum.organizations.models import CompanyStatus

from .. import factories


def test_only_approved_names_and_nothing_else(client, session, event):
    factories.make_company(session, event, name="Kaspi.kz", contact_email="boss@kaspi.kz")
    factories.make_company(session, event, name="Astana Hub")
    factories.make_company(session, event, name="Pending LLP", status=CompanyStatus.PENDING)
    factories.make_company(session, event, name="Rejected LLP", status=CompanyStatus.REJECTED)
    other = factories.make_event(session)
    factories.make_company(session, other, name="Elsewhere Ltd")
    session.commit()
    r = client.get(f"/api/v1/events/{event.slug}/companies/approved")
    assert r.status_code == 200
    assert r.json == [{"name": "Astana Hub"}, {"name": "Kaspi.kz"}]
    assert "kaspi.kz" not in r.get_data(as_text=True).replace("Kaspi.kz", "")  # no contacts
    assert "public" in r.headers["Cache-Control"]


def test_unknown_event(client, event):
    r = client.get("/api/v1/events/nope/companies/approved")
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
