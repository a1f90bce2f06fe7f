"""Phones as people type them: stored as E.164, shown formatted, refused in their language."""

from __future__ import annotations

import pytest

from forum.fields import phone_display

from ..factories import payload
from ..test_registration_api import assert_problem

EVENT = "/api/v1/events/digital-bridge"


@pytest.mark.parametrize("typed", ["8 701 123 45 67", "87011234567", "7011234567",
                                   "+7 701 123 45 67", "+7 (701) 123-45-67"])
def test_kazakh_numbers_as_typed_are_stored_as_e164(client, event, typed):
    r = client.post(f"{EVENT}/registrations", json=payload(phone=typed))
    assert r.status_code == 201, r.get_data(as_text=True)
    me = client.get("/api/v1/registrations/me",
                    headers={"Authorization": f"Bearer {r.json['manage_token']}"}).json
    assert me["phone"] == "+77011234567"
    assert me["phone_display"] == "+7 701 123 4567"


def test_a_national_number_is_read_in_the_chosen_country(client, event):
    r = client.post(f"{EVENT}/registrations",
                    json=payload(country="DE", phone="030 1234567"))
    assert r.status_code == 201, r.get_data(as_text=True)
    me = client.get("/api/v1/registrations/me",
                    headers={"Authorization": f"Bearer {r.json['manage_token']}"}).json
    assert me["phone"] == "+49301234567" and me["phone_display"] == "+49 30 1234567"


@pytest.mark.parametrize(("locale", "words"), [
    ("kk", "Халықаралық форматта жазыңыз, мысалы +7 701 123 45 67."),
    ("ru", "Укажите номер в международном формате, например +7 701 123 45 67."),
    ("en", "Use the international format, for example +7 701 123 45 67."),
])
def test_a_bad_phone_is_explained_in_the_registrants_language(client, event, locale, words):
    for bad in ("12", "+7 123", "not a phone"):
        body = assert_problem(client.post(f"{EVENT}/registrations",
                                          json=payload(phone=bad, locale=locale)),
                              422, "validation_failed")
        assert body["errors"]["phone"] == [words]
        assert "E.164" not in str(body)


def test_the_manage_page_edit_speaks_the_participants_language(client, event):
    # Under a manage token the stored language wins over Accept-Language (README).
    r = client.post(f"{EVENT}/registrations", json=payload(locale="kk"))
    headers = {"Authorization": f"Bearer {r.json['manage_token']}", "Accept-Language": "ru"}
    body = assert_problem(client.patch("/api/v1/registrations/me", json={"phone": "12"},
                                       headers=headers), 422, "validation_failed")
    assert body["errors"]["phone"][0].startswith("Халықаралық форматта")
    ok = client.patch("/api/v1/registrations/me", json={"phone": "8 (701) 765 43 21"},
                      headers=headers)
    assert ok.status_code == 200 and ok.json["phone"] == "+77017654321"


def test_phone_display_of_stored_values():
    assert phone_display("") == ""
    assert phone_display("+77011234567") == "+7 701 123 4567"
    assert phone_display("garbage") == "garbage"


def test_the_dialling_code_choice_decides_a_national_number(client, event):
    # A Kazakh participant with a German mobile: the form's dialling-code choice wins.
    r = client.post(f"{EVENT}/registrations",
                    json=payload(country="KZ", phone_country="DE", phone="0151 23456789"))
    assert r.status_code == 201, r.get_data(as_text=True)
    headers = {"Authorization": f"Bearer {r.json['manage_token']}"}
    assert client.get("/api/v1/registrations/me", headers=headers).json["phone"] \
        == "+4915123456789"
    ok = client.patch("/api/v1/registrations/me", headers=headers,
                      json={"phone": "8 701 123 45 67", "phone_country": "KZ"})
    assert ok.status_code == 200 and ok.json["phone"] == "+77011234567"
    assert "phone_country" not in ok.json
    body = assert_problem(client.post(f"{EVENT}/registrations",
                                      json=payload(phone_country="XX", phone="7011234567")),
                          422, "validation_failed")
    assert "phone_country" in body["errors"]


def test_organizers_see_the_phone_formatted_too(client, session, event):
    from ..auth import staff_headers

    r = client.post(f"{EVENT}/registrations", json=payload(phone="8 701 123 45 67"))
    row = client.get(f"{EVENT}/participants/{r.json['id']}",
                     headers=staff_headers(session, event=event))
    assert row.status_code == 200, row.get_data(as_text=True)
    assert (row.json["phone"], row.json["phone_display"]) == ("+77011234567", "+7 701 123 4567")
