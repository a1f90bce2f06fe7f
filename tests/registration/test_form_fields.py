"""What the form asks for the badge: Cyrillic spellings, invitation codes named by field."""

from __future__ import annotations

from forum.organizations.models import CompanyStatus

from .. import factories
from ..factories import payload
from ..test_registration_api import assert_problem

URL = "/api/v1/events/digital-bridge/registrations"


def test_cyrillic_spelling_is_kept(client, event):
    r = client.post(URL, json=payload(first_name="Aigerim", last_name="Nurlanqyzy",
                                      first_name_cyrillic="Әйгерім",
                                      last_name_cyrillic="Нұрланқызы"))
    assert r.status_code == 201
    me = client.get("/api/v1/registrations/me",
                    headers={"Authorization": f"Bearer {r.json['manage_token']}"}).json
    assert (me["first_name_cyrillic"], me["last_name_cyrillic"]) == ("Әйгерім", "Нұрланқызы")


def test_a_wrong_code_names_its_field(client, session, event):
    body = assert_problem(client.post(URL, json=payload(delegation_code="D-NOPE")),
                          404, "unknown_code")
    assert list(body["errors"]) == ["delegation_code"]
    body = assert_problem(client.post(URL, json=payload(company_code="C-NOPE")),
                          404, "unknown_code")
    assert list(body["errors"]) == ["company_code"]
    pending = factories.make_company(session, event, status=CompanyStatus.PENDING,
                                     invitation_code="C-WAIT")
    session.commit()
    body = assert_problem(client.post(URL, json=payload(company_code=pending.invitation_code)),
                          403, "company_not_approved")
    assert list(body["errors"]) == ["company_code"]
