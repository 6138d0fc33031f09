"""The committed API documents are whole: every reference in them resolves inside the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REFERENCE = Path(__file__).resolve().parents[1] / "reference"


def references(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(references(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(references(value) for value in node))
    return set()


def resolves(document: dict[str, Any], reference: str) -> bool:
    node: Any = document
    for part in reference.removeprefix("#/").split("/"):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return reference.startswith("#/")


@pytest.mark.parametrize(
    ("name", "operations"),
    [("metronome-openapi-subset.json", 18), ("stripe-openapi-customers.json", 3)],
)
def test_the_document_is_self_contained(name: str, operations: int) -> None:
    document = json.loads((REFERENCE / name).read_text())

    unresolved = sorted(ref for ref in references(document) if not resolves(document, ref))
    methods = {"get", "post", "put", "patch", "delete"}
    counted = sum(len(methods & item.keys()) for item in document["paths"].values())

    assert unresolved == []
    assert counted == operations
