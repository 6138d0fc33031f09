"""Stripe API keys on the local backend: secret and restricted keys, modes, bad keys."""

from __future__ import annotations

import httpx
import pytest
import stripe

from metro_tui.local.server import RunningBackend
from metro_tui.local.stripe.store import insert_stripe_customer
from tests.conftest import TEST_TOKEN


def client_for(backend: RunningBackend, key: str) -> stripe.StripeClient:
    return stripe.StripeClient(
        key,
        base_addresses={"api": backend.stripe_url},
        http_client=stripe.HTTPXClient(),
        max_network_retries=0,
    )


@pytest.fixture
def backend_with_both_modes(empty_backend: RunningBackend) -> RunningBackend:
    with empty_backend.db.transaction() as conn:
        insert_stripe_customer(
            conn,
            customer_id="cus_A0000000000001",
            name="Test Co",
            email=None,
            created=1_760_000_000,
        )
        insert_stripe_customer(
            conn,
            customer_id="cus_A0000000000002",
            name="Live Co",
            email=None,
            created=1_760_000_000,
            livemode=True,
        )
    return empty_backend


async def test_wrong_key_is_an_authentication_error_that_masks_the_key(
    empty_backend: RunningBackend,
) -> None:
    wrong_key = "sk_test_not-the-right-key-4321"

    with pytest.raises(stripe.AuthenticationError) as caught:
        await client_for(empty_backend, wrong_key).v1.customers.list_async()

    assert caught.value.http_status == 401
    assert caught.value.user_message == "Invalid API Key provided: sk_test_****4321"
    assert wrong_key not in (caught.value.http_body or "")
    assert caught.value.json_body == {
        "error": {
            "type": "invalid_request_error",
            "message": "Invalid API Key provided: sk_test_****4321",
        }
    }


def test_missing_key_and_short_wrong_key(empty_backend: RunningBackend) -> None:
    url = f"{empty_backend.stripe_url}/v1/customers"

    missing = httpx.get(url)
    short = httpx.get(url, headers={"Authorization": "Bearer sk_test_abcd"})
    metronome_token = httpx.get(url, headers={"Authorization": f"Bearer {TEST_TOKEN}"})

    assert missing.status_code == 401
    assert missing.json()["error"]["message"].startswith("You did not provide an API key.")
    # Too short to show any of it.
    assert short.json()["error"]["message"] == "Invalid API Key provided: sk_test_****"
    assert metronome_token.status_code == 401
    assert metronome_token.json()["error"]["message"] == "Invalid API Key provided: ****6789"


def test_basic_auth_with_the_key_as_username(empty_backend: RunningBackend) -> None:
    response = httpx.get(
        f"{empty_backend.stripe_url}/v1/customers", auth=(empty_backend.stripe_key, "")
    )

    assert response.status_code == 200
    assert response.json() == {
        "object": "list",
        "data": [],
        "has_more": False,
        "url": "/v1/customers",
    }


async def test_restricted_key_reads_but_cannot_write(
    backend_with_both_modes: RunningBackend,
) -> None:
    client = client_for(backend_with_both_modes, f"rk_test_{TEST_TOKEN}")

    listed = await client.v1.customers.list_async()
    fetched = await client.v1.customers.retrieve_async("cus_A0000000000001")
    searched = await client.v1.customers.search_async(params={"query": 'name:"Test Co"'})
    with pytest.raises(stripe.PermissionError) as caught:
        await client.v1.customers.create_async(params={"name": "Nope"})

    assert [c.id for c in listed.data] == ["cus_A0000000000001"]
    assert fetched.name == "Test Co"
    assert [c.id for c in searched.data] == ["cus_A0000000000001"]
    assert caught.value.http_status == 403
    assert (caught.value.user_message or "").startswith(
        "The provided key 'rk_test_****6789' does not have the required permissions"
    )


async def test_each_mode_sees_only_its_own_customers(
    backend_with_both_modes: RunningBackend,
) -> None:
    test_client = client_for(backend_with_both_modes, f"sk_test_{TEST_TOKEN}")
    live_client = client_for(backend_with_both_modes, f"sk_live_{TEST_TOKEN}")

    live_list = await live_client.v1.customers.list_async()
    created = await live_client.v1.customers.create_async(params={"name": "Live Two"})
    with pytest.raises(stripe.InvalidRequestError) as caught:
        await test_client.v1.customers.retrieve_async("cus_A0000000000002")

    assert [c.id for c in live_list.data] == ["cus_A0000000000002"]
    assert created.livemode is True
    assert caught.value.code == "resource_missing"
    assert caught.value.user_message == (
        "No such customer: 'cus_A0000000000002'; a similar object exists in live mode, but a "
        "test mode key was used to make this request."
    )
