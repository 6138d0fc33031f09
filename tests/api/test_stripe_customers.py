"""The local backend's Stripe customers API, driven by the official `stripe` library."""

from __future__ import annotations

import httpx
import pytest
import stripe
from stripe.params import CustomerCreateParams

from metro_tui.local.server import RunningBackend
from metro_tui.local.stripe.store import insert_stripe_customer
from tests.conftest import TEST_CUSTOMERS

BASE_CREATED = 1_760_000_000  # 2025-10-09, a fixed instant well before the test "today"


def client_for(backend: RunningBackend, key: str | None = None) -> stripe.StripeClient:
    return stripe.StripeClient(
        key or backend.stripe_key,
        base_addresses={"api": backend.stripe_url},
        http_client=stripe.HTTPXClient(),
        max_network_retries=0,
    )


@pytest.fixture
def client(empty_backend: RunningBackend) -> stripe.StripeClient:
    return client_for(empty_backend)


def store_customers(backend: RunningBackend, count: int) -> list[str]:
    """`count` customers stored out of creation order, some sharing a `created` second;
    returns their ids newest first (created desc, then the later insert first)."""
    rows = []
    with backend.db.transaction() as conn:
        for index in range(count):
            created = BASE_CREATED + (index * 7 % count) // 2 * 60
            doc = insert_stripe_customer(
                conn,
                customer_id=f"cus_T{index:013d}",
                name=f"Customer {index}",
                email=f"billing{index}@example.com",
                created=created,
            )
            rows.append((created, index, doc["id"]))
    return [customer_id for _, _, customer_id in sorted(rows, reverse=True)]


async def test_create_then_retrieve_returns_stripes_customer_shape(
    client: stripe.StripeClient,
) -> None:
    created = await client.v1.customers.create_async(
        params={
            "name": "Acme Corp",
            "email": "billing@acme.com",
            "description": "Enterprise plan",
            "metadata": {"plan": "enterprise", "region": "eu"},
        }
    )
    fetched = await client.v1.customers.retrieve_async(created.id)

    assert fetched.to_dict() == created.to_dict()
    assert created.id.startswith("cus_") and len(created.id) == 18
    assert created.id[4:].isalnum()
    body = created.to_dict()
    assert body["object"] == "customer"
    assert body["name"] == "Acme Corp"
    assert body["email"] == "billing@acme.com"
    assert body["description"] == "Enterprise plan"
    assert body["metadata"] == {"plan": "enterprise", "region": "eu"}
    assert body["created"] == 1795521600  # noon UTC of the backend's today, 2026-11-24
    assert body["livemode"] is False
    assert body["balance"] == 0
    assert body["delinquent"] is False
    assert body["tax_exempt"] == "none"
    assert body["preferred_locales"] == []
    assert body["invoice_settings"]["default_payment_method"] is None
    for field in (
        "address",
        "currency",
        "default_source",
        "discount",
        "phone",
        "shipping",
        "test_clock",
    ):
        assert body[field] is None, field
    assert len(body["invoice_prefix"]) == 8


async def test_retrieve_unknown_customer_is_resource_missing(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        await client.v1.customers.retrieve_async("cus_doesnotexist00")

    assert caught.value.http_status == 404
    assert caught.value.code == "resource_missing"
    assert caught.value.param == "id"
    assert caught.value.user_message == "No such customer: 'cus_doesnotexist00'"


async def test_list_pages_newest_first_through_auto_paging(
    empty_backend: RunningBackend, client: stripe.StripeClient
) -> None:
    expected = store_customers(empty_backend, 25)

    first = await client.v1.customers.list_async(params={"limit": 10})
    walked = [customer.id async for customer in first.auto_paging_iter()]

    assert first.to_dict()["object"] == "list"
    assert first.url == "/v1/customers"
    assert first.has_more is True
    assert [c.id for c in first.data] == expected[:10]
    assert walked == expected


async def test_list_pages_backwards_from_ending_before(
    empty_backend: RunningBackend, client: stripe.StripeClient
) -> None:
    expected = store_customers(empty_backend, 25)

    page = await client.v1.customers.list_async(params={"limit": 10, "ending_before": expected[-1]})
    walked = [customer.id async for customer in page.auto_paging_iter()]

    assert [c.id for c in page.data] == expected[14:24]
    assert page.has_more is True
    # The library walks backwards: each page reversed, oldest first, up to the newest.
    assert walked == list(reversed(expected[:24]))


async def test_starting_after_and_ending_before_select_the_neighbouring_page(
    empty_backend: RunningBackend, client: stripe.StripeClient
) -> None:
    expected = store_customers(empty_backend, 25)

    after = await client.v1.customers.list_async(params={"limit": 5, "starting_after": expected[9]})
    before = await client.v1.customers.list_async(params={"limit": 5, "ending_before": expected[9]})
    last = await client.v1.customers.list_async(
        params={"limit": 10, "starting_after": expected[19]}
    )

    assert [c.id for c in after.data] == expected[10:15]
    assert [c.id for c in before.data] == expected[4:9]
    assert [c.id for c in last.data] == expected[20:25]
    assert last.has_more is False


async def test_list_filters_by_email_and_created(
    empty_backend: RunningBackend, client: stripe.StripeClient
) -> None:
    store_customers(empty_backend, 25)

    by_email = await client.v1.customers.list_async(params={"email": "billing3@example.com"})
    by_email_other_case = await client.v1.customers.list_async(
        params={"email": "BILLING3@example.com"}
    )
    recent = await client.v1.customers.list_async(
        params={"created": {"gte": BASE_CREATED + 11 * 60}, "limit": 100}
    )

    assert [c.id for c in by_email.data] == ["cus_T0000000000003"]
    assert by_email_other_case.data == []
    # created = BASE + (i*7 % 25)//2 minutes: 11 or more for i*7 % 25 in 22..24, i.e. i in
    # 21, 14, 7.
    assert sorted(c.id for c in recent.data) == [
        "cus_T0000000000007",
        "cus_T0000000000014",
        "cus_T0000000000021",
    ]


async def test_list_rejects_bad_parameters(
    empty_backend: RunningBackend, client: stripe.StripeClient
) -> None:
    expected = store_customers(empty_backend, 3)
    cases = [
        ({"limit": 0}, "limit", "This value must be greater than or equal to 1."),
        ({"limit": 101}, "limit", "This value must be less than or equal to 100."),
        ({"limit": "ten"}, "limit", "Invalid integer: ten"),
        ({"colour": "blue"}, "colour", "Received unknown parameter: colour"),
        (
            {"starting_after": expected[0], "ending_before": expected[1]},
            "ending_before",
            "You may only specify one of these parameters: ending_before, starting_after.",
        ),
        ({"starting_after": "cus_missing"}, "starting_after", "No such customer: 'cus_missing'"),
    ]
    for params, param, message in cases:
        with pytest.raises(stripe.InvalidRequestError) as caught:
            await client.v1.customers.list_async(params=params)  # type: ignore[arg-type]
        assert (caught.value.http_status, caught.value.param, caught.value.user_message) == (
            400,
            param,
            message,
        ), params


async def test_create_validates_its_parameters(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as bad_email:
        await client.v1.customers.create_async(params={"email": "not-an-email"})
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        await client.v1.customers.create_async(params={"nickname": "x"})  # type: ignore[arg-type]
    with pytest.raises(stripe.InvalidRequestError) as long_key:
        await client.v1.customers.create_async(params={"metadata": {"k" * 41: "v"}})

    assert (bad_email.value.param, bad_email.value.user_message) == (
        "email",
        "Invalid email address: not-an-email",
    )
    assert unknown.value.user_message == "Received unknown parameter: nickname"
    assert long_key.value.param == f"metadata[{'k' * 41}]"
    listed = await client.v1.customers.list_async()
    assert listed.data == []


async def test_idempotency_key_replays_the_first_response(
    empty_backend: RunningBackend, client: stripe.StripeClient
) -> None:
    params: CustomerCreateParams = {"name": "Globex", "email": "ap@globex.com"}
    first = await client.v1.customers.create_async(
        params=params, options={"idempotency_key": "create-globex"}
    )
    again = await client.v1.customers.create_async(
        params=params, options={"idempotency_key": "create-globex"}
    )
    with pytest.raises(stripe.IdempotencyError) as reused:
        await client.v1.customers.create_async(
            params={"name": "Initech"}, options={"idempotency_key": "create-globex"}
        )

    assert again.id == first.id
    assert again.last_response is not None
    assert again.last_response.headers["idempotent-replayed"] == "true"
    assert reused.value.http_status == 400
    assert "'create-globex'" in (reused.value.user_message or "")
    count = empty_backend.db.query_one("SELECT count(*) AS n FROM stripe_customers")
    assert count is not None and count["n"] == 1


def test_customer_create_is_form_encoded_like_stripe(empty_backend: RunningBackend) -> None:
    response = httpx.post(
        f"{empty_backend.stripe_url}/v1/customers",
        headers={"Authorization": f"Bearer {empty_backend.stripe_key}"},
        content="name=Hooli&metadata[tier]=gold&metadata[empty]=&preferred_locales[0]=fr",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["metadata"], body["preferred_locales"]) == (
        "Hooli",
        {"tier": "gold"},
        ["fr"],
    )


async def test_seeded_customers_walk_newest_first(backend: RunningBackend) -> None:
    client = client_for(backend)

    first = await client.v1.customers.list_async(params={"limit": 7})
    customers = [customer async for customer in first.auto_paging_iter()]

    created = [customer.created for customer in customers]
    assert len(customers) == TEST_CUSTOMERS
    assert len({customer.id for customer in customers}) == TEST_CUSTOMERS
    assert created == sorted(created, reverse=True)
    assert all(customer.name and customer.livemode is False for customer in customers)
    by_name = await client.v1.customers.search_async(
        params={"query": f'name:"{customers[0].name}"'}
    )
    assert customers[0].id in [customer.id for customer in by_name.data]
