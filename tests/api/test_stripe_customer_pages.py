"""The app reads Stripe's customer pages as JSON: the same customers the library's own objects
give, and a page not in Stripe's documented shape is a clear error."""

from __future__ import annotations

import pytest
import stripe

from metro_tui.api import stripe as stripe_api
from metro_tui.api.stripe import StripeGateway, customer_from_json, customer_from_stripe
from metro_tui.errors import InvalidResponseError
from metro_tui.local.server import RunningBackend
from tests.conftest import TEST_CUSTOMERS


async def test_the_pages_hold_what_the_library_reads(
    backend: RunningBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stripe_api, "PAGE_SIZE", 7)
    gateway = StripeGateway(backend.stripe_key, backend.stripe_url)
    pages = [page async for page in gateway.customer_pages()]

    client = stripe.StripeClient(
        backend.stripe_key,
        base_addresses={"api": backend.stripe_url},
        http_client=stripe.HTTPXClient(),
    )
    first = await client.v1.customers.list_async(params={"limit": 100})
    expected = [customer_from_stripe(item) async for item in first.auto_paging_iter()]
    assert [len(page) for page in pages] == [7] * (TEST_CUSTOMERS // 7) + [TEST_CUSTOMERS % 7]
    assert [customer for page in pages for customer in page] == expected


GOOD = {"id": "cus_A", "name": "Acme", "email": None, "created": 1_700_000_000, "livemode": False}


@pytest.mark.parametrize(
    "spoiled",
    [
        {key: value for key, value in GOOD.items() if key != "created"},
        {**GOOD, "created": "1700000000"},
        {**GOOD, "created": True},
        {**GOOD, "id": None},
        {**GOOD, "name": 7},
        {**GOOD, "livemode": "no"},
        ["cus_A"],
    ],
)
def test_a_customer_not_in_stripes_shape_is_a_clear_error(spoiled: object) -> None:
    with pytest.raises(InvalidResponseError) as caught:
        customer_from_json(spoiled)
    assert caught.value.user_message == ("Stripe: a customer record was not in the expected shape")


def test_a_customer_in_stripes_shape_is_read_field_by_field() -> None:
    customer = customer_from_json(GOOD)
    assert (customer.id, customer.name, customer.email, customer.livemode) == (
        "cus_A",
        "Acme",
        None,
        False,
    )
    assert customer.created.isoformat() == "2023-11-14T22:13:20+00:00"
