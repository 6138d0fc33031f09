"""A first load fetches the customers the user looks at before the rest, and each record once."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import datetime
from pathlib import Path

import httpx
from pydantic import SecretStr

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.api.stripe import StripeGateway
from metro_tui.config import Settings
from metro_tui.local.server import RunningBackend
from metro_tui.session.connection import LOCAL_LABEL, Connection
from metro_tui.store import AccountStore
from metro_tui.sync.cache import SnapshotCache
from tests.conftest import TEST_TODAY, TEST_TOKEN

CONCURRENCY = 2
HANG_S = 120.0
KINDS_IN_QUEUE_ORDER = ("billing configurations", "contracts", "invoices")
Asked = tuple[str, str]
"""(kind of record, Metronome customer id) of one request."""


def _records_asked(request: httpx.Request) -> Asked | None:
    """Which customer's records a request asks for; None for lists, pricing and usage."""
    path = request.url.path
    if path == "/v1/getCustomerBillingProviderConfigurations":
        return "billing configurations", json.loads(request.content)["customer_id"]
    if path == "/v2/contracts/list":
        return "contracts", json.loads(request.content)["customer_id"]
    parts = path.split("/")
    if path.startswith("/v1/customers/") and parts[-1] == "invoices":
        return "invoices", parts[3]
    return None


def _is_lookup(request: httpx.Request) -> bool:
    """A look-up of the customer holding an ingest alias."""
    return request.url.path == "/v1/customers" and "ingest_alias" in request.url.params


class GatedNetwork(httpx.AsyncHTTPTransport):
    """Records the customer records asked for, in order, and holds those requests until
    `open` is set; lists, pricing and usage pass straight through. The look-ups by ingest
    alias find no customer, so the list decides the order here."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[Asked] = []
        self.open = asyncio.Event()
        self.all_held = asyncio.Event()
        """Set once as many requests are held as the load sends at a time."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if _is_lookup(request):
            return httpx.Response(200, json={"data": [], "next_page": None}, request=request)
        asked = _records_asked(request)
        if asked is not None:
            self.asked.append(asked)
            if len(self.asked) == CONCURRENCY:
                self.all_held.set()
            await self.open.wait()
        return await super().handle_async_request(request)


class ListHeldNetwork(httpx.AsyncHTTPTransport):
    """Holds the Metronome customer list until `list_released` is set; records every customer
    record asked for, and sets `all_asked` once `expected` of them have been."""

    def __init__(self, expected: int) -> None:
        super().__init__()
        self.asked: list[Asked] = []
        self.expected = expected
        self.all_asked = asyncio.Event()
        self.list_released = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/customers" and not _is_lookup(request):
            await self.list_released.wait()
        asked = _records_asked(request)
        if asked is not None:
            self.asked.append(asked)
            if len(self.asked) == self.expected:
                self.all_asked.set()
        return await super().handle_async_request(request)


class SentInOrder(httpx.AsyncHTTPTransport):
    """Records when each request is sent and when it is answered, in one sequence."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, str]] = []
        """("sent" or "answered", what the request asks for)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        asked = _what(request)
        self.events.append(("sent", asked))
        response = await super().handle_async_request(request)
        await response.aread()
        self.events.append(("answered", asked))
        return response


def _what(request: httpx.Request) -> str:
    """A customer's record, a look-up, or the path of a list, pricing or usage request."""
    if _is_lookup(request):
        return "look-up"
    records = _records_asked(request)
    return f"{records[0]} of {records[1]}" if records else request.url.path


def _store(
    backend: RunningBackend, folder: Path, network: httpx.AsyncHTTPTransport
) -> AccountStore:
    settings = Settings(
        METRONOME_BEARER_TOKEN=SecretStr(TEST_TOKEN),
        metronome_base_url=backend.metronome_url,
        today=TEST_TODAY,
        concurrency=CONCURRENCY,
    )
    client = httpx.AsyncClient(transport=network, timeout=30)
    connection = Connection(
        label=LOCAL_LABEL,
        metronome=MetronomeGateway(TEST_TOKEN, backend.metronome_url, http_client=client),
        stripe=StripeGateway(backend.stripe_key, backend.stripe_url),
        cache=SnapshotCache(folder, "account"),
        is_local=True,
    )
    return AccountStore(settings, connection)


def _listed(backend: RunningBackend, *, aliased_only: bool = False) -> dict[str, datetime]:
    """The first page of Metronome customers as listed (or those of them holding a Stripe id
    as ingest alias): each id and when it was created."""
    response = httpx.get(
        f"{backend.metronome_url}/v1/customers",
        params={"limit": 100},
        headers={"Authorization": f"Bearer {TEST_TOKEN}"},
    )
    return {
        customer["id"]: datetime.fromisoformat(customer["created_at"])
        for customer in response.json()["data"]
        if not aliased_only or any(alias.startswith("cus_") for alias in customer["ingest_aliases"])
    }


def _each_once(asked: list[Asked], customer_ids: list[str]) -> None:
    assert Counter(asked) == Counter(_in_queue_order(customer_ids))
    assert len(asked) == len(KINDS_IN_QUEUE_ORDER) * len(customer_ids)


def _in_queue_order(customer_ids: list[str]) -> list[Asked]:
    """As a load queues a page of customers: each kind for every customer, kind by kind."""
    return [(kind, customer_id) for kind in KINDS_IN_QUEUE_ORDER for customer_id in customer_ids]


def _newest_first(listed: dict[str, datetime], customer_ids: list[str]) -> list[Asked]:
    """As a load hands them out: newest customer first, in the order queued for equals."""
    return sorted(_in_queue_order(customer_ids), key=lambda asked: listed[asked[1]], reverse=True)


def _customer_by_customer(customer_ids: list[str]) -> list[Asked]:
    return [(kind, customer_id) for customer_id in customer_ids for kind in KINDS_IN_QUEUE_ORDER]


async def test_the_customers_on_screen_are_fetched_before_the_rest(
    backend: RunningBackend, tmp_path: Path
) -> None:
    listed = _listed(backend)
    ids = list(listed)
    assert len(ids) > 30  # one page: every request is queued before the first is sent
    network = GatedNetwork()
    store = _store(backend, tmp_path, network)
    on_screen = ids[-3:]
    store.customers_on_screen(on_screen)

    load = asyncio.create_task(store.refresh())
    await network.all_held.wait()
    network.open.set()
    await load

    # Shown before the load listed them, they still go first once listed.
    first = len(KINDS_IN_QUEUE_ORDER) * len(on_screen)
    assert network.asked[:first] == _in_queue_order(on_screen)
    assert network.asked[first:] == _newest_first(listed, ids[:-3])
    _each_once(network.asked, ids)


async def test_opening_a_customer_mid_load_moves_it_to_the_front(
    backend: RunningBackend, tmp_path: Path
) -> None:
    listed = _listed(backend)
    ids = list(listed)
    network = GatedNetwork()
    store = _store(backend, tmp_path, network)
    load = asyncio.create_task(store.refresh())
    # The one page of customers is listed and every request queued before the first is sent.
    await network.all_held.wait()
    newest = max(ids, key=listed.__getitem__)
    held = [("billing configurations", newest), ("contracts", newest)]
    assert network.asked == held

    store.customers_on_screen(ids[20:23])
    store.customer_opened(ids[30])
    network.open.set()
    await load

    moved = _customer_by_customer([ids[30], *ids[20:23]])
    assert network.asked[CONCURRENCY : CONCURRENCY + len(moved)] == moved
    # Then the rest, newest customer first.
    taken = held + moved
    rest = [asked for asked in _newest_first(listed, ids) if asked not in taken]
    assert network.asked[CONCURRENCY + len(moved) :] == rest
    _each_once(network.asked, ids)
    assert store.complete


async def test_a_first_load_finds_the_newest_stripe_customers_before_the_list(
    backend: RunningBackend, tmp_path: Path
) -> None:
    listed = _listed(backend)
    aliased = _listed(backend, aliased_only=True)
    # The demo's customers made for a Stripe customer hold its id; a dangling link's do not.
    assert 0 < len(aliased) < len(listed)
    network = ListHeldNetwork(expected=len(KINDS_IN_QUEUE_ORDER) * len(aliased))
    store = _store(backend, tmp_path, network)
    load = asyncio.create_task(store.refresh())

    # With the list held, every customer found by its alias has each of its records asked;
    # none of the customers without an alias has. (The limit only turns a load that waits
    # for the list, which is held, into a failure instead of a hang.)
    await asyncio.wait_for(network.all_asked.wait(), timeout=HANG_S)
    found_first = _customer_by_customer(list(aliased))
    assert Counter(network.asked) == Counter(found_first)
    network.list_released.set()
    await load

    # The list adds the rest, and nothing is asked twice; the account is the list's, as a
    # load that found no customer early makes it.
    _each_once(network.asked, list(listed))
    clean_network = GatedNetwork()
    clean_network.open.set()
    clean = _store(backend, tmp_path / "clean", clean_network)
    await clean.refresh()
    assert clean_network.asked[: len(found_first)] != network.asked[: len(found_first)]
    assert store.snapshot == clean.snapshot
    assert list(store.rows) == list(clean.rows)
    for each in (store, clean):
        await each.connection.close()


async def test_a_first_load_sends_the_list_pricing_and_usage_after_the_newest_rows(
    backend: RunningBackend, tmp_path: Path
) -> None:
    aliased = list(_listed(backend, aliased_only=True))
    network = SentInOrder()
    store = _store(backend, tmp_path, network)
    await store.refresh()
    await store.connection.close()

    # Every look-up and every record of the customers they found is answered before the
    # Metronome list, the pricing or the usage is sent: those would share the client's CPU.
    found = {f"{kind} of {customer_id}" for kind, customer_id in _in_queue_order(aliased)}
    later = {
        "/v1/customers",
        "/v1/contract-pricing/rate-cards/list",
        "/v1/contract-pricing/products/list",
        "/local/v1/usage-events/daily",
    }
    first_later = next(
        index
        for index, (event, asked) in enumerate(network.events)
        if event == "sent" and asked in later
    )
    before = network.events[:first_later]
    answered = [asked for event, asked in before if event == "answered"]
    assert set(answered) >= found
    assert Counter(asked for asked in answered if asked == "look-up") == Counter(
        asked for event, asked in network.events if event == "sent" and asked == "look-up"
    )
