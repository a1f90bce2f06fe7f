"""A body that cannot be read still gets its problem answer, in the header's language: the
language choice looks for a "locale" field in a JSON body, and must not read it again."""

from forum.translate import translate


def test_a_json_body_too_large_is_a_413_problem_in_the_header_language(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    answer = client.post("/api/v1/auth/tokens", data="{" + " " * 2000 + "}",
                         content_type="application/json", headers={"Accept-Language": "ru"})
    assert answer.status_code == 413
    assert answer.content_type == "application/problem+json"
    problem = answer.get_json()
    assert problem["code"] == "payload_too_large"
    assert problem["title"] == translate("problem.payload_too_large.title", "ru")
