"""Local Metronome usage events: ingest, duplicate detection, search and the daily counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import metronome
import pytest
from metronome import AsyncMetronome
from metronome.types.v1.usage_ingest_params import Usage

from metro_tui.local.metronome.store import insert_customer
from metro_tui.local.metronome.usage import insert_usage_events
from metro_tui.local.server import RunningBackend
from tests.conftest import TEST_TOKEN

NOON_TODAY = datetime(2026, 11, 24, 12, tzinfo=UTC)  # TEST_TODAY's "now"


def event(transaction_id: str, customer: str = "acme") -> Usage:
    return {
        "transaction_id": transaction_id,
        "customer_id": customer,
        "event_type": "api_call",
        "timestamp": "2026-11-24T09:30:00Z",
        "properties": {"region": "eu", "calls": 3},
    }


def store_events(backend: RunningBackend, received_at: datetime, *ids: str) -> list[bool]:
    with backend.db.transaction() as conn:
        return insert_usage_events(
            conn, events=[dict(event(i)) for i in ids], received_at=received_at
        )


async def test_ingest_flags_repeats_and_search_returns_them(
    client: AsyncMetronome, empty_backend: RunningBackend
) -> None:
    with empty_backend.db.transaction() as conn:
        acme = insert_customer(conn, name="Acme", created_at=NOON_TODAY, ingest_aliases=["acme"])

    first = await client.v1.usage.with_raw_response.ingest(
        usage=[event("tx-1"), event("tx-2"), event("tx-1")]
    )
    await client.v1.usage.ingest(usage=[event("tx-2"), event("tx-3", "nobody")])
    found = await client.v1.usage.search(transaction_ids=["tx-1", "tx-2", "tx-3", "tx-9"])

    assert (first.status_code, first.http_response.content) == (200, b"")  # as upstream
    assert [(e.transaction_id, e.is_duplicate) for e in found] == [
        ("tx-1", False),
        ("tx-2", False),
        ("tx-1", True),
        ("tx-2", True),
        ("tx-3", False),
    ]
    original = found[0]
    assert (original.customer_id, original.event_type, original.properties) == (
        "acme",
        "api_call",
        {"region": "eu", "calls": 3},
    )
    assert original.timestamp == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    assert original.processed_at == NOON_TODAY
    assert original.matched_customer is not None
    assert (original.matched_customer.id, original.matched_customer.name) == (acme["id"], "Acme")
    assert found[4].matched_customer is None
    assert len({e.id for e in found}) == 5


def test_duplicate_window_is_34_days(empty_backend: RunningBackend) -> None:
    day = timedelta(days=1)
    assert store_events(empty_backend, NOON_TODAY - 40 * day, "old", "recent") == [False, False]
    assert store_events(empty_backend, NOON_TODAY - 35 * day, "recent") == [True]
    # 40 days after "old" was accepted it is new again; 33 days after, "recent" is not.
    assert store_events(empty_backend, NOON_TODAY, "old") == [False]
    assert store_events(empty_backend, NOON_TODAY - 7 * day, "recent") == [True]


async def test_daily_counts_zero_fill_and_count_duplicates(
    client: AsyncMetronome, empty_backend: RunningBackend
) -> None:
    store_events(empty_backend, datetime(2026, 11, 20, 0, 0, tzinfo=UTC), "a", "b", "a")
    store_events(empty_backend, datetime(2026, 11, 22, 23, 59, 59, tzinfo=UTC), "b", "c")
    store_events(empty_backend, datetime(2026, 11, 19, 23, 59, 59, tzinfo=UTC), "z")
    await client.v1.usage.ingest(usage=[event("c"), event("d")])

    daily = await client.get(
        "/local/v1/usage-events/daily", cast_to=object, options={"params": {"days": 5}}
    )
    month = await client.get("/local/v1/usage-events/daily", cast_to=object)

    assert daily == {
        "data": [
            {"date": "2026-11-20", "total": 3, "duplicates": 1},
            {"date": "2026-11-21", "total": 0, "duplicates": 0},
            {"date": "2026-11-22", "total": 2, "duplicates": 1},
            {"date": "2026-11-23", "total": 0, "duplicates": 0},
            {"date": "2026-11-24", "total": 2, "duplicates": 1},
        ]
    }
    assert isinstance(month, dict)
    assert len(month["data"]) == 30
    assert (month["data"][0]["date"], month["data"][-1]["date"]) == ("2026-10-26", "2026-11-24")
    assert sum(day["total"] for day in month["data"]) == 8


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "List should have at least 1 item after validation, not 0"),
        ([event(f"tx-{i}") for i in range(101)], "List should have at most 100 items"),
        (
            [{**event("tx-1"), "timestamp": "yesterday"}],
            "timestamp: Input should be a valid datetime",
        ),
        (
            [{k: v for k, v in event("tx-1").items() if k != "transaction_id"}],
            "transaction_id: Field required",
        ),
        ([{**event("tx-1"), "transaction_id": ""}], "transaction_id: String should have at least"),
    ],
)
async def test_invalid_ingest_is_400_and_stores_nothing(
    client: AsyncMetronome, empty_backend: RunningBackend, body: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(metronome.BadRequestError) as caught:
        await client.v1.usage.ingest(usage=body)  # type: ignore[arg-type]
    assert message in caught.value.body["message"]  # type: ignore[index]
    assert empty_backend.db.query_one("SELECT 1 FROM usage_events") is None


@pytest.mark.parametrize("days", ["0", "367", "week"])
async def test_daily_counts_reject_bad_days(empty_backend: RunningBackend, days: str) -> None:
    async with httpx.AsyncClient(base_url=empty_backend.url) as http:
        response = await http.get(
            "/local/v1/usage-events/daily",
            params={"days": days},
            headers={"Authorization": f"Bearer {TEST_TOKEN}"},
        )
    assert response.status_code == 400
    assert response.json()["message"].startswith("query.days:")
