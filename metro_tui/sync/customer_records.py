"""The kinds of record loaded one Metronome customer at a time, in one table.

The public APIs have no account-wide queries for these, so each customer's billing
configurations, contracts and invoices are fetched separately. Each kind is one entry here:
the snapshot field (and cache file section) holding every customer's records of that kind,
the matching `failed_*` field, and how to fetch one customer's. The sync engine, the reload of
one customer after a contract is created, and the cache all go through this table, so a new
kind is one entry here plus how the cache file encodes it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

from metro_tui.models import BillingConfiguration, Contract, Invoice
from metro_tui.sync.progress import RecordKind
from metro_tui.sync.snapshot import AccountSnapshot, CustomerFailures

Records = tuple[Any, ...]
"""One customer's records of one kind. Tuples, like the records (or as the cache reads
invoices, columns that equal the tuple): the screens share the snapshot, and nothing may
change a customer's records under them."""


class CustomerRecordsGateway(Protocol):
    """The Metronome calls that fetch one customer's records (`MetronomeGateway` has them)."""

    async def billing_configurations(self, customer_id: str) -> list[BillingConfiguration]: ...

    async def contracts(self, customer_id: str) -> list[Contract]: ...

    async def invoices(
        self, customer_id: str, *, starting_on: datetime | None = None
    ) -> list[Invoice]: ...


FetchRecords = Callable[[CustomerRecordsGateway, str, Records | None], Awaitable[Records]]
"""Fetch one customer's records, given those already known for it (None: none are)."""


@dataclass(frozen=True)
class CustomerRecordKind:
    """One kind of per-customer record: where the snapshot keeps it and how to fetch it."""

    kind: RecordKind
    """Its name in progress lines and messages."""
    field: str
    """The `AccountSnapshot` field mapping each customer id to its records of this kind; the
    cache file's section of the same name holds them."""
    fetch: FetchRecords

    @property
    def failed_field(self) -> str:
        """The `AccountSnapshot` field naming the customers whose records of this kind failed."""
        return f"failed_{self.field}"

    def records(self, snapshot: AccountSnapshot) -> dict[str, Records]:
        return cast(dict[str, Records], getattr(snapshot, self.field))

    def failures(self, snapshot: AccountSnapshot) -> CustomerFailures:
        return cast(CustomerFailures, getattr(snapshot, self.failed_field))


async def _billing_configurations(
    metronome: CustomerRecordsGateway, customer_id: str, _known: Records | None
) -> Records:
    return tuple(await metronome.billing_configurations(customer_id))


async def _contracts(
    metronome: CustomerRecordsGateway, customer_id: str, _known: Records | None
) -> Records:
    return tuple(await metronome.contracts(customer_id))


LOOK_BACK_PERIODS = 2
"""How many of the customer's longest known billing periods an incremental refresh asks again
before the latest known period end. An invoice is finalized after its period ends, and a
customer's contracts need not share period bounds: an invoice finalized since the last load
can belong to a period that began up to a period before the latest known end, and finalized at
the end of its grace period, up to about one more."""


async def _invoices(
    metronome: CustomerRecordsGateway, customer_id: str, known: Records | None
) -> Records:
    """FINALIZED invoices; with a known set, only periods from a look-back window on.

    A finalized invoice never changes, so the known ones before the window are kept rather than
    fetched again.
    """
    if not known:
        return _in_period_order(await metronome.invoices(customer_id))
    # A record of each known invoice, made once: read from the cache they are columns
    # (`sync/invoice_table.py`), and each reading of them would make its records again.
    records = tuple(known)
    fresh = await metronome.invoices(customer_id, starting_on=_look_back_start(records))
    merged = {invoice.id: invoice for invoice in records}
    merged.update((invoice.id, invoice) for invoice in fresh)
    invoices = _in_period_order(merged.values())
    # Nothing new: the known ones are kept as they are, in columns if read from the cache,
    # rather than as records that take three times the memory until the next start.
    return known if invoices == records else invoices


def _in_period_order(invoices: Iterable[Invoice]) -> Records:
    """By period start, so a full load and a refresh keep the same order: Metronome lists them
    by issue date, and a commit purchase is issued on its day, before the statement of the
    month that just ended."""
    return tuple(sorted(invoices, key=lambda invoice: invoice.start_timestamp))


def _look_back_start(known: Records) -> datetime:
    """The earliest period start that could still bring a newly finalized invoice: the latest
    known period end, less `LOOK_BACK_PERIODS` of the longest known period."""
    latest_end: datetime = max(invoice.end_timestamp for invoice in known)
    longest: timedelta = max(invoice.end_timestamp - invoice.start_timestamp for invoice in known)
    return latest_end - LOOK_BACK_PERIODS * longest


CUSTOMER_RECORD_KINDS = (
    CustomerRecordKind(
        RecordKind.BILLING_CONFIGURATIONS, "billing_configurations", _billing_configurations
    ),
    CustomerRecordKind(RecordKind.CONTRACTS, "contracts", _contracts),
    CustomerRecordKind(RecordKind.INVOICES, "invoices", _invoices),
)
"""Every kind of per-customer record, in the order a load queues them."""
