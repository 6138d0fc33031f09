"""The customer page's records read over HTTP: every page of each list, validated by the SDK's
own models a few items per event-loop turn; what is expected is read from the data file with SQL."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from metronome.types.shared.contract_v2 import ContractV2
from metronome.types.v1.customers.invoice import Invoice as SdkInvoice

from metro_tui.api import metronome as gateway_module
from metro_tui.api.metronome import MetronomeGateway
from metro_tui.api.metronome_pages import ITEMS_PER_STEP
from metro_tui.errors import InvalidResponseError
from metro_tui.local.server import RunningBackend
from tests.conftest import TEST_TOKEN

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


@pytest.fixture
def db(data_file: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{data_file}?mode=ro", uri=True)
    yield conn
    conn.close()


def busiest_customer(db: sqlite3.Connection) -> tuple[str, int, int]:
    """The customer with the most contracts, then invoices: its id and both counts."""
    customer_id, contracts, invoices = db.execute(
        "SELECT c.customer_id, COUNT(DISTINCT c.id), "
        "(SELECT COUNT(*) FROM invoices i WHERE i.customer_id = c.customer_id) AS n "
        "FROM contracts c WHERE c.archived_at IS NULL "
        "GROUP BY c.customer_id ORDER BY COUNT(DISTINCT c.id) DESC, n DESC LIMIT 1"
    ).fetchone()
    return str(customer_id), int(contracts), int(invoices)


def _loop_turns(
    monkeypatch: pytest.MonkeyPatch, turns: list[int], *models: type[Any]
) -> dict[str, list[int]]:
    """Record the event-loop turn each SDK model is validated in, leaving the validation."""
    seen: dict[str, list[int]] = {model.__name__: [] for model in models}
    for model in models:
        validate = model.model_validate

        def spy(
            value: Any, *args: Any, _v: Any = validate, _n: str = model.__name__, **kw: Any
        ) -> Any:
            seen[_n].append(turns[0])
            return _v(value, *args, **kw)

        monkeypatch.setattr(model, "model_validate", spy)
    return seen


async def test_the_page_is_validated_a_few_items_per_loop_turn(
    backend: RunningBackend, db: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer_id, contracts, invoices = busiest_customer(db)
    assert invoices > ITEMS_PER_STEP
    turns = [0]
    loop = asyncio.get_running_loop()
    counting = [True]

    def count_turn() -> None:
        # Called once per turn of the event loop: each call schedules the next.
        turns[0] += 1
        if counting[0]:
            loop.call_soon(count_turn)

    seen = _loop_turns(monkeypatch, turns, ContractV2, SdkInvoice)
    loop.call_soon(count_turn)
    gateway = MetronomeGateway(TEST_TOKEN, backend.metronome_url, max_retries=0)
    try:
        page = await gateway.customer_page(customer_id, NOW)
    finally:
        counting[0] = False
        await gateway.close()

    assert (len(page.contracts), len(page.invoices)) == (contracts, invoices)
    assert (len(seen["ContractV2"]), len(seen["Invoice"])) == (contracts, invoices)
    per_turn = Counter(seen["ContractV2"] + seen["Invoice"])
    assert max(per_turn.values()) == ITEMS_PER_STEP


async def test_a_page_read_in_small_pages_is_the_same_page(
    backend: RunningBackend, db: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer_id, contracts, invoices = busiest_customer(db)
    assert contracts > 1 and invoices > 1  # so one-item pages take several requests
    gateway = MetronomeGateway(TEST_TOKEN, backend.metronome_url, max_retries=0)
    try:
        whole = await gateway.customer_page(customer_id, NOW)
        monkeypatch.setattr(gateway_module, "CONTRACTS_PAGE", 1)
        monkeypatch.setattr(gateway_module, "INVOICES_PAGE", 1)
        paged = await gateway.customer_page(customer_id, NOW)
    finally:
        await gateway.close()

    assert paged == whole
    expected = db.execute(
        "SELECT id FROM invoices WHERE customer_id = ? ORDER BY start_timestamp DESC, id",
        (customer_id,),
    ).fetchall()
    assert sorted(i.id for i in paged.invoices) == sorted(i for (i,) in expected)


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Bad gateway</html>",
        b'{"data": [{"id": "c1"}], "cursor": null}',
        b'{"data": {}, "cursor": null}',
        b'{"items": []}',
    ],
)
async def test_a_page_of_another_shape_is_a_clear_error(body: bytes) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        gateway = MetronomeGateway(TEST_TOKEN, "http://metronome.test", http_client=http)
        with pytest.raises(InvalidResponseError) as raised:
            await gateway.customer_page("customer-1", NOW)

    assert raised.value.user_message == (
        "Metronome: the server's response was not in the expected shape"
    )
