"""Stripe's published OpenAPI document for the customer reads (tests/reference/), as JSON
Schema that `jsonschema` can check a response body against."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

DOCUMENT = Path(__file__).resolve().parents[1] / "reference" / "stripe-openapi-customers.json"


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0's `nullable: true` is JSON Schema's "or null"."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") is True:
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@cache
def _document() -> dict[str, Any]:
    converted: dict[str, Any] = _json_schema(json.loads(DOCUMENT.read_text()))
    return converted


def check(path: str, status: int, body: Any) -> None:
    """Raise `jsonschema.ValidationError` unless `body` matches what the document says the
    GET operation at `path` answers with `status` (its `default` response for errors)."""
    document = _document()
    responses = document["paths"][path]["get"]["responses"]
    response = responses[str(status)] if str(status) in responses else responses["default"]
    schema = {
        "components": document["components"],
        "allOf": [response["content"]["application/json"]["schema"]],
    }
    jsonschema.Draft7Validator(schema).validate(body)
