"""Every integer a client may send is bounded in the OpenAPI document, so that the server's
own validation (the same marshmallow schemas) answers 422 before a database overflows."""

from __future__ import annotations

from forum.extensions import api


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _unbounded(spec: dict, schema: dict, where: str, seen: set[str]) -> list[str]:
    ref = schema.get("$ref")
    if ref:
        if ref in seen:
            return []
        seen = seen | {ref}
    schema = _resolve(spec, schema)
    if schema.get("readOnly"):
        return []
    found = []
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "integer" in kinds and ("maximum" not in schema or "minimum" not in schema):
        found.append(where)
    for name, sub in schema.get("properties", {}).items():
        found += _unbounded(spec, sub, f"{where}.{name}", seen)
    if "items" in schema:
        found += _unbounded(spec, schema["items"], f"{where}[]", seen)
    for sub in schema.get("allOf", []) + schema.get("anyOf", []) + schema.get("oneOf", []):
        found += _unbounded(spec, sub, where, seen)
    return found


def test_every_integer_input_has_bounds(app):
    with app.app_context():
        spec = api.spec.to_dict()
    unbounded = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") in {"query", "header"}:
                    unbounded += _unbounded(spec, parameter.get("schema", {}),
                                            f"{method} {path} ?{parameter['name']}", set())
            body = operation.get("requestBody", {}).get("content", {})
            for media in body.values():
                unbounded += _unbounded(spec, media.get("schema", {}),
                                        f"{method} {path} body", set())
    assert not unbounded, "\n".join(unbounded)


def test_conditional_reads_document_the_header_beside_their_arguments(app):
    with app.app_context():
        paths = api.spec.to_dict()["paths"]

    def names(path: str) -> set[str]:
        return {p["name"] for p in paths[path]["get"].get("parameters", [])}

    assert {"If-None-Match", "top"} <= names("/api/v1/events/{slug}/dashboard")
    assert {"If-None-Match", "day", "track"} <= names("/api/v1/events/{slug}/program")
    assert "If-None-Match" in names("/api/v1/scanner/bundle")
    assert "304" in paths["/api/v1/scanner/bundle"]["get"]["responses"]
