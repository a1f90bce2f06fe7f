"""The OpenAPI document says what the server does, checked on the document itself (the fuzzing
against a running server is tests/test_openapi_fuzz.py)."""

from __future__ import annotations

import re

import pytest

from forum.errors import PROBLEM_MIME


@pytest.fixture
def document(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


def _responses(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "responses" in operation:
                for status, response in operation["responses"].items():
                    yield f"{method.upper()} {path} {status}", status, response


def _resolve(document, response: dict) -> dict:
    if "$ref" in response:
        return document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def test_every_error_answer_is_documented_as_problem_json(document):
    errors = [(name, _resolve(document, r)) for name, status, r in _responses(document)
              if status == "default" or int(status) >= 400]
    assert len(errors) > 300
    for name, response in errors:
        assert list(response.get("content", {})) == [PROBLEM_MIME], name
        assert response["content"][PROBLEM_MIME]["schema"] == {
            "$ref": "#/components/schemas/Problem"}, name
    assert "Error" not in document["components"]["schemas"]  # flask-smorest's own shape


def test_a_body_is_documented_as_required_only_when_a_field_is(client, session, event,
                                                               document):
    patch = document["paths"]["/api/v1/registrations/me"]["patch"]["requestBody"]
    assert patch.get("required") is False  # a PATCH sends what changes, maybe nothing
    register = document["paths"]["/api/v1/events/{slug}/registrations"]["post"]["requestBody"]
    assert register["required"] is True


def test_options_allows_exactly_the_methods_of_the_matched_route(app, client):
    served: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        served.setdefault(rule.rule, set()).update(rule.methods or ())
    checked = 0
    for pattern in served:
        if not pattern.startswith("/api/"):
            continue
        url = re.sub(r"<(?:\w+:)?\w+>", "x1", pattern)
        answer = client.options(url)
        matched = app.url_map.bind("localhost").match(url, method="OPTIONS", return_rule=True)
        assert set(answer.headers["Allow"].split(", ")) == served[matched[0].rule], url
        checked += 1
    assert checked > 80
    # A fixed path beside a parameter: not the PATCH of /companies/<company_id>.
    allow = client.options("/api/v1/events/x/companies/approved").headers["Allow"]
    assert set(allow.split(", ")) == {"GET", "HEAD", "OPTIONS"}
