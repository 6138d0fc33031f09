"""`customers.search` on the local backend: Stripe's query language and search pagination."""

from __future__ import annotations

import pytest
import stripe

from metro_tui.local.server import RunningBackend
from metro_tui.local.stripe.store import insert_stripe_customer

CUSTOMERS = [
    # id, name, email, created, metadata
    ("cus_S0000000000001", "Acme Corp", "billing@acme.com", 1_760_000_100, {"tier": "gold"}),
    ("cus_S0000000000002", "ACME Labs", "ap@acmelabs.io", 1_760_000_200, {"tier": "silver"}),
    ("cus_S0000000000003", "Globex", "finance@globex.com", 1_760_000_300, {"tier": "gold"}),
    ("cus_S0000000000004", "Initech", None, 1_760_000_400, {}),
    ("cus_S0000000000005", "Hooli", "billing@hooli.com", 1_760_000_500, {"region": "us"}),
]


@pytest.fixture
def client(empty_backend: RunningBackend) -> stripe.StripeClient:
    with empty_backend.db.transaction() as conn:
        for customer_id, name, email, created, metadata in CUSTOMERS:
            insert_stripe_customer(
                conn,
                customer_id=customer_id,
                name=name,
                email=email,
                created=created,
                metadata=metadata,
            )
    return stripe.StripeClient(
        empty_backend.stripe_key,
        base_addresses={"api": empty_backend.stripe_url},
        http_client=stripe.HTTPXClient(),
        max_network_retries=0,
    )


async def found(client: stripe.StripeClient, query: str) -> list[str]:
    result = await client.v1.customers.search_async(params={"query": query})
    return [customer.id async for customer in result.auto_paging_iter()]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('name~"acme"', ["cus_S0000000000002", "cus_S0000000000001"]),
        ("name~'CME L'", ["cus_S0000000000002"]),
        ('email:"billing@acme.com"', ["cus_S0000000000001"]),
        ('email:"BILLING@ACME.COM"', ["cus_S0000000000001"]),
        ('email:"billing@acme"', []),
        ('name:"globex"', ["cus_S0000000000003"]),
        ('metadata["tier"]:"gold"', ["cus_S0000000000003", "cus_S0000000000001"]),
        ('metadata["tier"]:"gold" AND name~"acm"', ["cus_S0000000000001"]),
        ('metadata["tier"]:"gold" name~"acm"', ["cus_S0000000000001"]),
        ('name:"Hooli" OR email:"ap@acmelabs.io"', ["cus_S0000000000005", "cus_S0000000000002"]),
        ('name:"Hooli" or name:"Initech"', ["cus_S0000000000005", "cus_S0000000000004"]),
        ("email:null", ["cus_S0000000000004"]),
        (
            '-metadata["tier"]:"gold" AND created>1760000100',
            ["cus_S0000000000005", "cus_S0000000000004", "cus_S0000000000002"],
        ),
        (
            "created>=1760000300 AND created<1760000500",
            ["cus_S0000000000004", "cus_S0000000000003"],
        ),
        ("created:1760000200", ["cus_S0000000000002"]),
        ('name~"a\\"b"', []),
    ],
)
async def test_search_query_language(
    client: stripe.StripeClient, query: str, expected: list[str]
) -> None:
    assert await found(client, query) == expected


async def test_search_pages_with_next_page_tokens(client: stripe.StripeClient) -> None:
    first = await client.v1.customers.search_async(params={"query": '-name:"Initech"', "limit": 2})
    ids = [customer.id async for customer in first.auto_paging_iter()]

    assert first.to_dict()["object"] == "search_result"
    assert first.to_dict()["url"] == "/v1/customers/search"
    assert first.has_more is True
    assert first.next_page is not None and first.next_page.startswith("page_")
    assert [c.id for c in first.data] == ["cus_S0000000000005", "cus_S0000000000003"]
    assert ids == [
        "cus_S0000000000005",
        "cus_S0000000000003",
        "cus_S0000000000002",
        "cus_S0000000000001",
    ]


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ('name~"ac"', "a substring search (~) needs at least 3 characters (position 5)"),
        ("name:acme", 'the value for name must be quoted, e.g. name:"..." (position 5)'),
        ('name:"acme', "the string starting at position 5 is not closed"),
        ('name:"a" AND email:"b" OR phone:"c"', "AND and OR cannot be combined in one query"),
        (
            'colour:"red"',
            "'colour' is not a search field for customers; use one of: created, "
            "email, metadata, name, phone",
        ),
        (
            "created>yesterday",
            "created must be compared with a Unix timestamp, e.g. created>1700000000 (position 8)",
        ),
        (
            'metadata.tier:"gold"',
            "'metadata.tier' is not a search field for customers; use one "
            "of: created, email, metadata, name, phone",
        ),
        ("name:", "the query ends where a value was expected"),
        ('name "acme"', "expected an operator after 'name' at position 5"),
        ("   ", "the search query is empty"),
        ('name:"a" ! email:"b"', "unexpected character '!' at position 9"),
    ],
)
async def test_malformed_query_is_a_400_that_says_what_is_wrong(
    client: stripe.StripeClient, query: str, problem: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        await client.v1.customers.search_async(params={"query": query})

    assert caught.value.http_status == 400
    assert caught.value.param == "query"
    assert caught.value.user_message == (
        f"Invalid search query: {problem}. Example of a valid query: "
        'name~"acme" AND email:"billing@acme.com"'
    )


async def test_search_without_query_or_with_a_bad_page_token(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await client.v1.customers.search_async(params={})  # type: ignore[typeddict-item]
    with pytest.raises(stripe.InvalidRequestError) as bad_page:
        await client.v1.customers.search_async(params={"query": 'name~"acme"', "page": "zzz"})

    assert (missing.value.param, missing.value.user_message) == (
        "query",
        "Missing required param: query.",
    )
    assert (bad_page.value.param, bad_page.value.user_message) == (
        "page",
        "Invalid page token: zzz",
    )
