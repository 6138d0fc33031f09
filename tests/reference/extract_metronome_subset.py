"""Extract the operations the local backend implements from Metronome's OpenAPI document.

    python tests/reference/extract_metronome_subset.py path/to/metronome-openapi.json

writes `metronome-openapi-subset.json` beside this script: the document's `openapi`, `info`,
`servers` and `security`, the implemented operations exactly as published, and every component
they reference, directly or through other components. Nothing is edited.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SUBSET = Path(__file__).with_name("metronome-openapi-subset.json")
IMPLEMENTED = {
    "/v1/customers": ["get", "post"],
    "/v1/customers/{customer_id}": ["get"],
    "/v1/getCustomerBillingProviderConfigurations": ["post"],
    "/v1/setCustomerBillingProviderConfigurations": ["post"],
    "/v1/customers/{customer_id}/invoices": ["get"],
    "/v1/customers/{customer_id}/invoices/{invoice_id}": ["get"],
    "/v1/contracts/create": ["post"],
    "/v2/contracts/list": ["post"],
    "/v2/contracts/get": ["post"],
    "/v1/contracts/customerBalances/list": ["post"],
    "/v1/contracts/getContractRateSchedule": ["post"],
    "/v1/contract-pricing/rate-cards/list": ["post"],
    "/v1/contract-pricing/rate-cards/get": ["post"],
    "/v1/contract-pricing/rate-cards/getRates": ["post"],
    "/v1/contract-pricing/products/list": ["post"],
    "/v1/ingest": ["post"],
    "/v1/events/search": ["post"],
}


def references(node: Any) -> set[str]:
    """Every `$ref` inside `node`."""
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(references(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(references(value) for value in node))
    return set()


def resolve(document: dict[str, Any], reference: str) -> Any:
    node: Any = document
    for part in reference.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def subset(document: dict[str, Any]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for path, methods in IMPLEMENTED.items():
        item = document["paths"][path]
        kept = {key: value for key, value in item.items() if key not in _METHODS}
        kept.update({method: item[method] for method in methods})
        paths[path] = kept
    components: dict[str, dict[str, Any]] = {
        "securitySchemes": document["components"]["securitySchemes"]
    }
    pending = references(paths)
    seen: set[str] = set()
    while pending:
        reference = pending.pop()
        seen.add(reference)
        _, _, kind, name = reference.split("/", 3)
        target = resolve(document, reference)
        components.setdefault(kind, {})[name] = target
        pending |= references(target) - seen
    for kind in components:
        components[kind] = dict(sorted(components[kind].items()))
    head = {key: document[key] for key in ("openapi", "info", "servers", "security")}
    return {**head, "paths": paths, "components": components}


_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def main(arguments: list[str]) -> None:
    document = json.loads(Path(arguments[0]).read_text())
    SUBSET.write_text(json.dumps(subset(document), indent=1, sort_keys=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
