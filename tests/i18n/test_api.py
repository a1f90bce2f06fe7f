"""problem+json in the caller's language: Accept-Language, the body's locale, the
participant's stored language; the code the same in all of them."""

from __future__ import annotations

from tests.factories import payload

URL = "/api/v1/events/digital-bridge/registrations"
KAZAKH_LETTERS = set("әғқңөұүһі")


def bad_registration() -> dict:
    body = payload(email="not-an-address", phone="12", first_name="")
    body.pop("locale", None)
    return body


def test_a_bad_registration_in_kazakh_gets_kazakh_field_messages(client, event):
    r = client.post(URL, json=bad_registration(), headers={"Accept-Language": "kk"})
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    body = r.get_json()
    assert body["code"] == "validation_failed"
    assert body["title"] == "Кейбір өрістерді түзету керек"
    assert body["errors"]["first_name"] == ["Бұл өрісті толтырыңыз."]
    assert body["errors"]["email"] == ["Пошта мекенжайын тексеріңіз, мысалы name@example.kz."]
    assert body["errors"]["phone"] == ["Халықаралық форматта жазыңыз, мысалы +7 701 123 45 67."]
    for text in [body["title"], body["detail"], *sum(body["errors"].values(), [])]:
        assert KAZAKH_LETTERS & set(text.lower()), text


def test_english_messages_are_written_for_people(client, event):
    body = client.post(URL, json=bad_registration(),
                       headers={"Accept-Language": "en"}).get_json()
    assert body["errors"]["first_name"] == ["Please fill in this field."]
    assert "E.164" not in str(body) and "semantic" not in body["detail"]


def test_the_code_stays_and_the_texts_follow_the_language(client, event):
    client.post(URL, json=payload(email="twice@example.kz"))
    answers = {lang: client.post(URL, json=payload(email="twice@example.kz"),
                                 headers={"Accept-Language": lang}).get_json()
               for lang in ("kk", "ru", "en")}
    assert {a["code"] for a in answers.values()} == {"already_registered"}
    assert len({a["title"] for a in answers.values()}) == 3
    assert answers["ru"]["title"] == "Вы уже зарегистрированы с этим адресом"


def test_the_bodys_locale_wins_over_accept_language(client, event):
    body = dict(bad_registration(), locale="ru")
    r = client.post(URL, json=body, headers={"Accept-Language": "kk"})
    assert r.get_json()["errors"]["first_name"] == ["Заполните это поле."]


def test_messages_with_numbers_keep_them(client, event):
    r = client.post(URL, json=payload(job_title="x" * 201), headers={"Accept-Language": "ru"})
    assert r.get_json()["errors"]["job_title"] == ["Не больше 200 символов."]


def test_a_participants_stored_language_answers_their_requests(client, event):
    made = client.post(URL, json=payload(locale="kk")).get_json()
    r = client.patch("/api/v1/registrations/me", json={"phone": "12"},
                     headers={"Authorization": f"Bearer {made['manage_token']}",
                              "Accept-Language": "en"})
    assert r.status_code == 422
    assert r.get_json()["errors"]["phone"] == [
        "Халықаралық форматта жазыңыз, мысалы +7 701 123 45 67."]
    assert r.get_json()["title"] == "Кейбір өрістерді түзету керек"


def test_unknown_languages_fall_back_to_english(client, event):
    r = client.post(URL, json=bad_registration(), headers={"Accept-Language": "de, fr;q=0.5"})
    assert r.get_json()["title"] == "Some fields need correcting"
