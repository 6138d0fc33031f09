"""The Stripe customer reads over raw HTTP, every body checked against Stripe's published
OpenAPI document, and the details its documentation gives: error codes, `expand[]`,
`test_clock`, and paging both ways."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from metro_tui.local.db import dumps
from metro_tui.local.server import RunningBackend
from metro_tui.local.stripe.store import customer_document
from tests.api.stripe_reference import check

LIST = "/v1/customers"
RETRIEVE = "/v1/customers/{customer}"
SEARCH = "/v1/customers/search"


def get(backend: RunningBackend, path: str, document_path: str, **params: Any) -> httpx.Response:
    """GET a Stripe path and check the answer against the document before returning it."""
    response = httpx.get(
        f"{backend.stripe_url}{path}",
        params=params,
        headers={"Authorization": f"Bearer {backend.stripe_key}"},
        timeout=None,  # a busy machine may take its time; the answer is what is checked
    )
    check(document_path, response.status_code, response.json())
    return response


def ids(response: httpx.Response) -> list[str]:
    return [customer["id"] for customer in response.json()["data"]]


def test_list_pages_forwards_and_backwards(backend: RunningBackend) -> None:
    everyone = ids(get(backend, LIST, LIST, limit=100))
    first = get(backend, LIST, LIST, limit=3)
    second = get(backend, LIST, LIST, limit=3, starting_after=ids(first)[-1])
    back = get(backend, LIST, LIST, limit=3, ending_before=ids(second)[0])

    assert len(everyone) == 40
    assert ids(first) == everyone[:3]
    assert ids(second) == everyone[3:6]
    assert ids(back) == everyone[:3]
    assert (first.json()["has_more"], back.json()["has_more"]) == (True, False)


def test_search_pages_forwards_and_counts_when_asked(backend: RunningBackend) -> None:
    query = "created>0"
    first = get(backend, SEARCH, SEARCH, query=query, limit=25, **{"expand[]": "total_count"})
    second = get(backend, SEARCH, SEARCH, query=query, limit=25, page=first.json()["next_page"])
    plain = get(backend, SEARCH, SEARCH, query=query)

    assert first.json()["total_count"] == 40
    assert len(ids(first)) + len(ids(second)) == 40
    assert second.json()["next_page"] is None
    assert "total_count" not in plain.json()


def test_retrieve_expands_what_can_be_expanded(backend: RunningBackend) -> None:
    customer_id = ids(get(backend, LIST, LIST, limit=1))[0]
    path = f"/v1/customers/{customer_id}"

    plain = get(backend, path, RETRIEVE).json()
    expanded = get(backend, path, RETRIEVE, **{"expand[]": ["sources", "default_source"]}).json()
    listed = get(backend, LIST, LIST, limit=1, **{"expand[]": ["data.tax_ids", "data.tax"]})

    assert "sources" not in plain
    assert expanded["sources"] == {
        "object": "list",
        "data": [],
        "has_more": False,
        "url": f"/v1/customers/{customer_id}/sources",
    }
    assert expanded["default_source"] is None
    assert listed.json()["data"][0]["tax_ids"]["data"] == []
    assert listed.json()["data"][0]["tax"] == {
        "automatic_tax": "unrecognized_location",
        "ip_address": None,
        "location": None,
    }
    balance = get(backend, path, RETRIEVE, **{"expand[]": "cash_balance"}).json()["cash_balance"]
    assert (balance["object"], balance["customer"], balance["available"]) == (
        "cash_balance",
        customer_id,
        None,
    )


@pytest.mark.parametrize(
    ("path", "document_path", "params", "status", "error"),
    [
        (
            LIST,
            LIST,
            {"colour": "blue"},
            400,
            {"code": "parameter_unknown", "param": "colour"},
        ),
        (
            LIST,
            LIST,
            {"limit": "abc"},
            400,
            {"code": "parameter_invalid_integer", "param": "limit"},
        ),
        (
            LIST,
            LIST,
            {"created[gt]": "soon"},
            400,
            {"code": "parameter_invalid_integer", "param": "created[gt]"},
        ),
        (SEARCH, SEARCH, {}, 400, {"code": "parameter_missing", "param": "query"}),
        (
            LIST,
            LIST,
            {"expand[]": "address"},
            400,
            {"message": "This property cannot be expanded (address).", "param": "expand"},
        ),
        (
            LIST,
            LIST,
            {"expand[]": "default_source"},  # a list expands its items as data.<field>
            400,
            {"message": "This property cannot be expanded (default_source).", "param": "expand"},
        ),
        (
            SEARCH,
            SEARCH,
            {"query": "created>0", "expand[]": "data.address"},
            400,
            {"message": "This property cannot be expanded (data.address).", "param": "expand"},
        ),
        (
            "/v1/customers/cus_missing",
            RETRIEVE,
            {},
            404,
            {"code": "resource_missing", "message": "No such customer: 'cus_missing'"},
        ),
    ],
)
def test_errors_carry_stripe_codes(
    backend: RunningBackend,
    path: str,
    document_path: str,
    params: dict[str, str],
    status: int,
    error: dict[str, str],
) -> None:
    response = get(backend, path, document_path, **params)

    assert response.status_code == status
    body = response.json()["error"]
    assert body["type"] == "invalid_request_error"
    assert {key: body[key] for key in error} == error


def test_test_clock_filters_the_list(empty_backend: RunningBackend) -> None:
    on_clock = customer_document(
        customer_id="cus_OnTestClock0001", name="On a clock", email=None, created=1_760_000_100
    )
    on_clock["test_clock"] = "clock_1"
    plain = customer_document(
        customer_id="cus_NoTestClock0001", name="Plain", email=None, created=1_760_000_000
    )
    with empty_backend.db.transaction() as conn:
        for doc in (on_clock, plain):
            conn.execute(
                "INSERT INTO stripe_customers (id, created, name, email, doc) "
                "VALUES (?, ?, ?, ?, ?)",
                (doc["id"], doc["created"], doc["name"], None, dumps(doc)),
            )

    assert ids(get(empty_backend, LIST, LIST)) == ["cus_NoTestClock0001"]
    assert ids(get(empty_backend, LIST, LIST, test_clock="clock_1")) == ["cus_OnTestClock0001"]
    assert ids(get(empty_backend, LIST, LIST, test_clock="clock_2")) == []
