"""The app's account store over the seeded local backend: rows, detail, one-customer refresh."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.config import Settings
from metro_tui.local.server import RunningBackend
from metro_tui.session.connection import LOCAL_LABEL, Connection, open_connection
from metro_tui.store import AccountStore
from metro_tui.sync.cache import SnapshotCache
from tests.conftest import TEST_TODAY, TEST_TOKEN

FAILED = "the server failed (HTTP 502)"


@pytest.fixture
def new_store(
    backend: RunningBackend, data_file: Path, tmp_path: Path
) -> Callable[[], AccountStore]:
    """A new store for the same account and cache, as after the app restarts."""

    def make() -> AccountStore:
        settings = Settings(
            METRONOME_BEARER_TOKEN=SecretStr(TEST_TOKEN),
            metronome_base_url=backend.metronome_url,
            STRIPE_API_KEY=SecretStr(backend.stripe_key),
            stripe_api_base=backend.stripe_url,
            today=TEST_TODAY,
            cache=tmp_path / "cache",
        )
        return AccountStore(settings, open_connection(settings, local_data=data_file))

    return make


@pytest.fixture
def store(new_store: Callable[[], AccountStore]) -> AccountStore:
    return new_store()


async def test_refresh_derives_rows_and_caches_the_snapshot(store: AccountStore) -> None:
    snapshot = await store.refresh()
    rows = store.rows
    linked = [row for row in rows if row.linked]
    assert len(rows) == len(snapshot.stripe_customers)
    # Linked customers come first, then the Stripe customers not in Metronome.
    assert rows[: len(linked)] == linked
    assert store.row_for(rows[-1].stripe_customer_id) == rows[-1]
    assert store.row_for("cus_nobody") is None
    cached = store.connection.cache.load().snapshot
    assert cached is not None
    assert cached == snapshot
    await store.connection.close()


async def test_detail_lists_non_archived_contracts_latest_first(store: AccountStore) -> None:
    snapshot = await store.refresh()
    row = next(
        row
        for row in store.rows
        if row.metronome_customer_id and len(snapshot.contracts[row.metronome_customer_id]) > 1
    )
    assert row.metronome_customer_id is not None
    detail = store.detail(row)
    expected = sorted(
        (c for c in snapshot.contracts[row.metronome_customer_id] if c.archived_at is None),
        key=lambda c: (c.starting_at, c.id),
        reverse=True,
    )
    assert [c.id for c in detail.contracts] == [c.id for c in expected]
    assert [s.contract_id for s in detail.contract_summaries] == [c.id for c in expected]
    assert len(detail.billings_by_month) == 12
    await store.connection.close()


async def test_refresh_customer_links_a_new_metronome_customer(store: AccountStore) -> None:
    await store.refresh()
    unlinked = next(row for row in store.rows if not row.linked)
    metronome = store.connection.metronome
    customer_id = await metronome.create_customer_for_stripe(
        unlinked.name, unlinked.stripe_customer_id
    )
    rate_card = (await metronome.rate_cards())[0]
    await metronome.create_contract(
        {
            "customer_id": customer_id,
            "name": "Starter 2026",
            "rate_card_id": rate_card.id,
            "starting_at": "2026-11-01T00:00:00Z",
        }
    )

    await store.refresh_customer(customer_id)

    row = store.row_for(unlinked.stripe_customer_id)
    assert row is not None
    assert row.metronome_customer_id == customer_id
    assert row.lifetime_billings_cents == 0
    assert row.provision_status is not None and row.provision_status.value == "Active"
    detail = store.detail(row)
    assert [s.display_name for s in detail.contract_summaries] == ["Starter 2026"]
    assert detail.contract_summaries[0].period_label == "Nov 1, 2026 – no end (Active)"
    await store.connection.close()


async def test_refresh_customer_replaces_a_failed_load(store: AccountStore) -> None:
    snapshot = await store.refresh()
    row = next(row for row in store.rows if row.linked and row.lifetime_billings_cents)
    customer_id = row.metronome_customer_id
    assert customer_id is not None
    invoices = {key: value for key, value in snapshot.invoices.items() if key != customer_id}
    store.adopt(
        dataclasses.replace(snapshot, invoices=invoices, failed_invoices={customer_id: FAILED})
    )
    broken = store.row_for(row.stripe_customer_id)
    assert broken is not None
    assert (broken.lifetime_billings_cents, broken.billings_error) == (None, FAILED)

    await store.refresh_customer(customer_id)

    assert store.row_for(row.stripe_customer_id) == row
    assert store.snapshot is not None and store.snapshot.failed_invoices == {}
    assert store.connection.cache.load().snapshot == store.snapshot
    await store.connection.close()


class HeldRequests(httpx.AsyncHTTPTransport):
    """Once `hold` is set, records each request and answers none of them until `hold`
    requests are in flight at once."""

    def __init__(self) -> None:
        super().__init__()
        self.hold = 0
        self.requests: list[httpx.Request] = []
        self._all_sent = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.hold:
            self.requests.append(request)
            if len(self.requests) == self.hold:
                self._all_sent.set()
            await self._all_sent.wait()
        return await super().handle_async_request(request)


async def test_refresh_customer_asks_for_everything_at_once_and_only_invoices_that_can_be_new(
    backend: RunningBackend, tmp_path: Path
) -> None:
    settings = Settings(
        METRONOME_BEARER_TOKEN=SecretStr(TEST_TOKEN),
        metronome_base_url=backend.metronome_url,
        today=TEST_TODAY,
    )
    transport = HeldRequests()
    client = httpx.AsyncClient(transport=transport, timeout=30)
    metronome = MetronomeGateway(TEST_TOKEN, backend.metronome_url, http_client=client)
    cache = SnapshotCache(tmp_path, "account")
    store = AccountStore(settings, Connection(LOCAL_LABEL, metronome, None, cache, True))
    snapshot = await store.refresh()
    customer_id = next(key for key, invoices in snapshot.invoices.items() if invoices)
    known = snapshot.invoices[customer_id]
    last_period_end = max(invoice.end_timestamp for invoice in known)
    longest_period = max(invoice.end_timestamp - invoice.start_timestamp for invoice in known)
    # Periods begun up to two of the longest before the last known end can still be finalized.
    look_back = last_period_end - 2 * longest_period

    transport.hold = 4  # the customer, its billing configurations, contracts and invoices
    # Requests sent one after another would each wait for the others for ever: the timeout
    # only bounds how long that failure takes to show.
    await asyncio.wait_for(store.refresh_customer(customer_id), timeout=60)

    assert sorted((request.method, request.url.path) for request in transport.requests) == [
        ("GET", f"/v1/customers/{customer_id}"),
        ("GET", f"/v1/customers/{customer_id}/invoices"),
        ("POST", "/v1/getCustomerBillingProviderConfigurations"),
        ("POST", "/v2/contracts/list"),
    ]
    invoices = next(r for r in transport.requests if r.url.path.endswith("/invoices"))
    assert invoices.url.params["starting_on"] == f"{look_back:%Y-%m-%dT%H:%M:%S}.000Z"
    assert store.snapshot == snapshot
    await store.connection.close()


async def test_load_cached_shows_the_cache_and_keeps_it_from_the_collector(
    store: AccountStore, new_store: Callable[[], AccountStore]
) -> None:
    snapshot = await store.refresh()
    await store.connection.close()
    restarted = new_store()
    try:
        assert await restarted.load_cached() is None
        assert restarted.snapshot == snapshot
        assert list(restarted.rows) == list(store.rows)
        assert restarted.overview == store.overview
        # The cached records are exempt from later collections, so none walks them again.
        assert gc.get_freeze_count() > len(snapshot.metronome_customers)
    finally:
        gc.unfreeze()
        await restarted.connection.close()


async def test_a_customers_detail_is_derived_once_per_account(store: AccountStore) -> None:
    """Opening a page derives its detail, and the page derives it again from the account it
    follows: the second is the first. An account with the page loaded has a detail of its own."""
    await store.refresh()
    row = next(row for row in store.rows if row.metronome_customer_id)
    assert row.metronome_customer_id is not None
    detail = store.detail(row)
    assert store.detail(row) is detail
    assert detail.page is None
    page = await store.load_customer_page(row.metronome_customer_id)
    with_page = store.detail(row)
    assert with_page is not detail
    assert with_page.page == page
    assert with_page.contracts == detail.contracts
    await store.connection.close()
