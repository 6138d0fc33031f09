"""An interrupted first load keeps what it fetched, and the next start resumes from there."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.api.stripe import StripeGateway
from metro_tui.config import Settings
from metro_tui.local.server import RunningBackend
from metro_tui.session.connection import LOCAL_LABEL, Connection
from metro_tui.store import AccountStore
from metro_tui.sync.cache import SnapshotCache
from metro_tui.sync.progress import RecordKind, SyncProgress
from metro_tui.sync.snapshot import AccountSnapshot
from tests.conftest import TEST_CUSTOMERS, TEST_TODAY, TEST_TOKEN


class RequestCounter(httpx.AsyncHTTPTransport):
    """Counts the requests the Metronome client sends, the look-ups of a customer by ingest
    alias apart; once `cut` is set, none gets through, as when the network goes away (the
    requests wait until the load is cancelled)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.lookups = 0
        self.cut = False
        self._never = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.cut:
            await self._never.wait()
        if "ingest_alias" in request.url.params:
            self.lookups += 1
        else:
            self.count += 1
        return await super().handle_async_request(request)


StoreFactory = Callable[[Path], tuple[AccountStore, RequestCounter]]


@pytest.fixture
def new_store(backend: RunningBackend) -> StoreFactory:
    """A store over the seeded backend with its cache in `folder`, counting its requests."""

    def make(folder: Path) -> tuple[AccountStore, RequestCounter]:
        settings = Settings(
            METRONOME_BEARER_TOKEN=SecretStr(TEST_TOKEN),
            metronome_base_url=backend.metronome_url,
            today=TEST_TODAY,
            concurrency=4,
        )
        counter = RequestCounter()
        client = httpx.AsyncClient(transport=counter, timeout=30)
        connection = Connection(
            label=LOCAL_LABEL,
            metronome=MetronomeGateway(TEST_TOKEN, backend.metronome_url, http_client=client),
            stripe=StripeGateway(backend.stripe_key, backend.stripe_url),
            cache=SnapshotCache(folder, "account"),
            is_local=True,
        )
        return AccountStore(settings, connection), counter

    return make


async def quit_during_first_load(
    store: AccountStore, network: RequestCounter, customers_loaded: int
) -> None:
    """Stop the requests once `customers_loaded` customers' invoices are in, then quit as the
    app does: save what the load has fetched, then cancel it."""
    stalled = asyncio.Event()

    def progress(progress: SyncProgress) -> None:
        if progress.done.get(RecordKind.INVOICES, 0) >= customers_loaded:
            network.cut = True
            stalled.set()

    load = asyncio.create_task(store.refresh(on_progress=progress))
    await stalled.wait()
    await store.save_before_exit()
    load.cancel()
    with pytest.raises(asyncio.CancelledError):
        await load


async def test_a_first_load_resumes_where_the_interrupted_one_stopped(
    new_store: StoreFactory, tmp_path: Path
) -> None:
    clean, clean_requests = new_store(tmp_path / "clean")
    await clean.refresh()

    first, network = new_store(tmp_path / "resumed")
    await quit_during_first_load(first, network, TEST_CUSTOMERS // 2)
    await first.connection.close()

    restarted, requests = new_store(tmp_path / "resumed")
    assert await restarted.load_cached() is None
    kept = restarted.snapshot
    assert kept is not None and not kept.complete
    # What the interrupted load had fetched is shown at once, and marked as partial.
    assert len(kept.invoices) >= TEST_CUSTOMERS // 2
    overview = restarted.overview
    assert overview is not None and overview.revenue_so_far is not None
    assert overview.revenue_so_far.customers_loaded == len(kept.invoices)

    await restarted.refresh()

    # One request per customer and kind of record for these small accounts: the resumed
    # load sends exactly those the kept records did not need again.
    kept_records = len(kept.billing_configurations) + len(kept.contracts) + len(kept.invoices)
    assert requests.count == clean_requests.count - kept_records
    # A first load looks up the newest Stripe customers (all of these few); a resumed one
    # already shows the checkpoint's rows, and leaves the customers to the list.
    assert clean_requests.lookups == TEST_CUSTOMERS
    assert requests.lookups == 0
    assert restarted.snapshot == clean.snapshot
    assert restarted.overview == clean.overview
    assert list(restarted.rows) == list(clean.rows)
    assert restarted.connection.cache.load().snapshot == clean.snapshot
    for store in (clean, restarted):
        await store.connection.close()


async def test_a_first_load_saves_checkpoints_marked_partial_then_the_whole_account(
    new_store: StoreFactory, tmp_path: Path
) -> None:
    store, _ = new_store(tmp_path)
    store.saver.checkpoint_interval_s = 0.0
    checkpoints: list[AccountSnapshot] = []
    store.saver.on_checkpoint = checkpoints.append

    snapshot = await store.refresh()

    # The first partial result is saved at once; none is ever saved as a whole account.
    assert checkpoints
    assert all(not checkpoint.complete for checkpoint in checkpoints)
    assert len(checkpoints[0].invoices) < TEST_CUSTOMERS
    assert store.connection.cache.load().snapshot == snapshot
    assert snapshot.complete
    await store.connection.close()
