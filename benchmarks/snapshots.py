"""Account snapshots of the seeded data files, for the benchmarks that start from a cache.

A real sync of 100,000 customers is about 260,000 requests (over ten minutes), so the
per-customer records are read straight from the data file instead, each one parsed by the SDK
models exactly as a response would be and reduced by the gateways' own converters; the few
account-wide lists (products, rate cards, daily usage) come over HTTP from the backend.
The result is kept beside the data file as a cache file in the app's own format, named by
that format's version, so a new format makes a fresh one rather than a file the app discards.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import stripe
from metronome.types.shared.contract_v2 import ContractV2
from metronome.types.v1.customer_detail import CustomerDetail
from metronome.types.v1.customer_retrieve_billing_configurations_response import (
    Data as SdkBillingConfiguration,
)
from metronome.types.v1.customers.invoice import Invoice as SdkInvoice

from benchmarks.backend import BackendProcess
from metro_tui.api.metronome import (
    MetronomeGateway,
    billing_configuration_from_sdk,
    contract_from_sdk,
    customer_from_sdk,
    invoice_from_sdk,
)
from metro_tui.api.stripe import customer_from_stripe
from metro_tui.local.metronome.contracts import with_billing_periods
from metro_tui.models import BillingConfiguration, Contract, Invoice
from metro_tui.sync.cache import SnapshotCache
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.sync.snapshot_codec import SNAPSHOT_VERSION

USAGE_DAYS = 30


def snapshot_file(data: Path, backend: BackendProcess, today: str) -> Path:
    """The snapshot of `data` as the app's cache file, building it first when missing."""
    path = data.with_name(f"{data.stem}-snapshot-v{SNAPSHOT_VERSION}.json")
    if not path.exists():
        # The cache writes atomically, so an interrupted build leaves no file that looks whole.
        SnapshotCache.at(path).store(build_snapshot(data, backend, today))
    return path


def build_snapshot(data: Path, backend: BackendProcess, today: str) -> AccountSnapshot:
    """What a full sync of the backend serving `data` would produce."""
    now = datetime.combine(date.fromisoformat(today), time(12), tzinfo=UTC)
    snapshot = asyncio.run(_account_wide(backend))
    with sqlite3.connect(f"file:{data}?mode=ro&immutable=1", uri=True) as conn:
        customers = [
            customer_from_sdk(CustomerDetail.model_validate(doc))
            for doc in _docs(
                conn, "SELECT doc FROM customers WHERE archived_at IS NULL ORDER BY seq"
            )
        ]
        listed = {customer.id for customer in customers}
        snapshot.metronome_customers = customers
        snapshot.stripe_customers = [
            customer_from_stripe(stripe.Customer.construct_from(doc, backend.stripe_key))
            for doc in _docs(
                conn, "SELECT doc FROM stripe_customers ORDER BY created DESC, seq DESC"
            )
            if not doc.get("livemode")
        ]
        snapshot.billing_configurations = _billing_configurations(conn, listed)
        snapshot.contracts = _contracts(conn, listed, now)
        snapshot.invoices = _invoices(conn, listed)
    snapshot.fetched_at = now
    return snapshot


async def _account_wide(backend: BackendProcess) -> AccountSnapshot:
    metronome = MetronomeGateway(backend.metronome_token, backend.metronome_url)
    try:
        return AccountSnapshot(
            rate_cards=await metronome.rate_cards(),
            products=await metronome.products(),
            usage_days=await metronome.daily_usage(USAGE_DAYS),
        )
    finally:
        await metronome.close()


def _docs(conn: sqlite3.Connection, sql: str) -> Iterator[dict[str, Any]]:
    for (doc,) in conn.execute(sql):
        yield json.loads(doc)


def _billing_configurations(
    conn: sqlite3.Connection, listed: set[str]
) -> dict[str, tuple[BillingConfiguration, ...]]:
    by_customer: dict[str, list[BillingConfiguration]] = {key: [] for key in listed}
    for doc in _docs(conn, "SELECT doc FROM billing_configurations ORDER BY seq"):
        item = SdkBillingConfiguration.model_validate(doc)
        if item.customer_id in listed:
            by_customer[item.customer_id].append(billing_configuration_from_sdk(item))
    return {key: tuple(records) for key, records in by_customer.items()}


def _contracts(
    conn: sqlite3.Connection, listed: set[str], now: datetime
) -> dict[str, tuple[Contract, ...]]:
    by_customer: dict[str, list[Contract]] = {key: [] for key in listed}
    for doc in _docs(conn, "SELECT doc FROM contracts ORDER BY starting_at, seq"):
        if doc["customer_id"] in listed:
            item = ContractV2.model_validate(with_billing_periods(doc, now))
            by_customer[item.customer_id].append(contract_from_sdk(item))
    return {key: tuple(records) for key, records in by_customer.items()}


def _invoices(conn: sqlite3.Connection, listed: set[str]) -> dict[str, Sequence[Invoice]]:
    by_customer: defaultdict[str, list[Invoice]] = defaultdict(list)
    sql = (
        "SELECT doc FROM invoices WHERE status = 'FINALIZED' "
        "ORDER BY COALESCE(json_extract(doc, '$.issued_at'), end_timestamp), seq"
    )
    for doc in _docs(conn, sql):
        if doc["customer_id"] in listed:
            by_customer[doc["customer_id"]].append(invoice_from_sdk(SdkInvoice.model_validate(doc)))
    return {key: tuple(by_customer.get(key, ())) for key in listed}
