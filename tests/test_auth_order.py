"""Authentication comes before validation and lookups: an anonymous caller learns nothing
from a guarded route, neither whether its body or query would pass (400/422) nor whether the
ids it names exist (404). Walks every route of ``app.url_map`` that needs credentials."""

from __future__ import annotations

import pytest

from .test_route_matrix import _routes, _url

BAD_JSON = ({"unexpected": "x", "quota": "many", "email": 5}, [1, 2], "text")
# Bodies the server cannot even read: malformed JSON, nesting past the decoder, not JSON.
RAW_BODIES = (('{"a": ', "application/json"), ("[" * 100_000, "application/json"),
              ("a=1", "text/plain"))
BAD_QUERY = "?page=-1&limit=zero&sort=%00&q=" + "x" * 300


def _requests(method: str):
    if method not in ("POST", "PATCH", "PUT"):
        yield {}
        return
    for body in BAD_JSON:
        yield {"json": body}
    for data, mime in RAW_BODIES:
        yield {"data": data, "content_type": mime}


@pytest.mark.parametrize("known_event", [False, True], ids=["unknown-event", "known-event"])
def test_anonymous_callers_get_401_before_any_validation_or_lookup(app, client, event,
                                                                   known_event):
    values = {"slug": event.slug} if known_event else {}  # every other id is unknown
    checked = 0
    for method, rule, access in _routes(app):
        if access.kind == "public":
            continue
        for request in _requests(method):
            r = client.open(_url(rule, values) + BAD_QUERY, method=method, **request)
            r.get_data()
            shown = {k: str(v)[:30] for k, v in request.items()}
            assert r.status_code == 401, (method, rule, shown, r.get_data(as_text=True)[:200])
            assert r.mimetype == "application/problem+json"
            checked += 1
    assert checked > 100
