"""Invoices as a cache read keeps them: columns of one table, each customer's a range of its
rows, equal to tuples of records; the figures read them without a record made."""

from __future__ import annotations

import gc
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from metro_tui.models import Invoice, InvoiceLineItem
from metro_tui.services.products import ProductTotals, top_products
from metro_tui.services.revenue import lifetime_billings_cents, revenue_by_period_end
from metro_tui.sync import snapshot_codec
from metro_tui.sync.customer_records import CUSTOMER_RECORD_KINDS, CustomerRecordsGateway
from metro_tui.sync.invoice_table import TabledInvoices
from metro_tui.sync.line_table import TabledLines
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.view_models import overview_figures
from tests.sync.damaged_files import with_invoice_field

SEPTEMBER = datetime(2026, 9, 1, tzinfo=UTC)
OCTOBER = datetime(2026, 10, 1, tzinfo=UTC)
NOVEMBER = datetime(2026, 11, 1, tzinfo=UTC)
API = InvoiceLineItem("API calls", "p-api", 12_345)
SEATS = InvoiceLineItem("Seats", "p-seats", 4_000)
SETUP = InvoiceLineItem("Setup fee", None, 100)

SEPTEMBERS = Invoice("i1", "m1", "FINALIZED", SEPTEMBER, OCTOBER, 16_445, (API, SEATS, SETUP))
OCTOBERS = Invoice("i2", "m1", "FINALIZED", OCTOBER, NOVEMBER, 12_345, (API,))
DRAFT = Invoice("i3", "m1", "DRAFT", OCTOBER, NOVEMBER, 4_000, (SEATS,))
OTHERS = Invoice("i4-ü", "m2", "FINALIZED", SEPTEMBER, NOVEMBER, 0, ())


def _snapshot() -> AccountSnapshot:
    return AccountSnapshot(
        invoices={"m1": (SEPTEMBERS, OCTOBERS, DRAFT), "m2": (OTHERS,), "m3": ()},
        metronome_customers=[],
    )


def _read(snapshot: AccountSnapshot) -> AccountSnapshot:
    return snapshot_codec.decode(list(snapshot_codec.encode(snapshot))[1:])


def test_read_invoices_are_columns_that_read_as_the_tuple_of_their_records() -> None:
    read = _read(_snapshot())
    invoices = read.invoices["m1"]
    assert isinstance(invoices, TabledInvoices)
    assert len(invoices) == 3
    assert list(invoices) == [SEPTEMBERS, OCTOBERS, DRAFT]
    assert (invoices[0], invoices[1], invoices[-1]) == (SEPTEMBERS, OCTOBERS, DRAFT)
    assert invoices[1:] == (OCTOBERS, DRAFT)
    assert invoices[::-2] == (DRAFT, SEPTEMBERS)
    assert isinstance(invoices[0].line_items, TabledLines)
    assert invoices[1].customer_id == "m1"
    assert read.invoices["m2"] == (OTHERS,)
    assert read.invoices["m2"][0].id == "i4-ü"
    assert read.invoices["m2"][0].line_items == ()
    assert read.invoices["m3"] == ()
    assert repr(invoices) == repr((SEPTEMBERS, OCTOBERS, DRAFT))
    with pytest.raises(IndexError):
        invoices[3]
    with pytest.raises(IndexError):
        invoices[-4]


def test_read_invoices_equal_and_hash_as_the_tuple_of_their_records() -> None:
    snapshot = _snapshot()
    read = _read(snapshot)
    assert read == snapshot
    invoices = read.invoices["m1"]
    # A tuple on the left hands the comparison to the columns.
    assert (SEPTEMBERS, OCTOBERS, DRAFT) == invoices  # noqa: SIM300
    assert invoices != (SEPTEMBERS, OCTOBERS)
    assert invoices != [SEPTEMBERS, OCTOBERS, DRAFT]
    assert invoices != read.invoices["m2"]
    assert invoices == _read(snapshot).invoices["m1"]
    assert hash(invoices) == hash((SEPTEMBERS, OCTOBERS, DRAFT))


def test_a_read_snapshot_holds_no_invoice_record() -> None:
    read = _read(_snapshot())
    invoices = read.invoices["m1"]
    held = gc.get_referents(invoices)
    held += [o for table in held if not isinstance(table, str) for o in gc.get_referents(table)]
    assert not [o for o in held if isinstance(o, Invoice)]


def test_read_invoices_give_the_figures_their_records_give() -> None:
    snapshot = _snapshot()
    read = _read(snapshot)
    for customer_id in ("m1", "m2", "m3"):
        records, columns = snapshot.invoices[customer_id], read.invoices[customer_id]
        assert lifetime_billings_cents(columns) == lifetime_billings_cents(records)
        assert revenue_by_period_end(columns) == revenue_by_period_end(records)
    assert lifetime_billings_cents(read.invoices["m1"]) == 28_790
    assert revenue_by_period_end(read.invoices["m1"]) == {OCTOBER: 16_445, NOVEMBER: 12_345}
    totals = ProductTotals()
    totals.add_customers(read.invoices.values())
    assert totals.top() == top_products(snapshot.all_invoices())
    assert [p.amount_cents for p in totals.top()] == [24_690, 4_000, 100]
    assert overview_figures(read, NOVEMBER) == overview_figures(snapshot, NOVEMBER)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (0, 7),  # an id that is not text
        (1, None),  # a status that is not text
        (2, 2),  # a period start past the table of bounds (0 and 1)
        (3, -1),  # a period end before it
        (4, "16445"),  # a total that is not a number
        (5, [0, 3]),  # a line past the table of lines (0 to 2)
        (5, [-1]),
    ],
)
def test_a_file_whose_invoice_names_what_its_tables_lack_is_damaged(field: int, value: Any) -> None:
    snapshot = AccountSnapshot(invoices={"m1": (SEPTEMBERS,)})
    assert snapshot_codec.decode(with_invoice_field(snapshot, 5, [2, 1, 0])).invoices["m1"][
        0
    ].line_items == (SETUP, SEATS, API)
    with pytest.raises(snapshot_codec.DamagedCache):
        snapshot_codec.decode(with_invoice_field(snapshot, field, value))


class _Gateway:
    """A customer's invoices as Metronome would list them from the look-back window on."""

    def __init__(self, invoices: list[Invoice]) -> None:
        self._invoices = invoices

    async def invoices(
        self, customer_id: str, *, starting_on: datetime | None = None
    ) -> list[Invoice]:
        assert customer_id == "m1"
        return [
            invoice
            for invoice in self._invoices
            if starting_on is None or invoice.start_timestamp >= starting_on
        ]


async def test_a_refresh_that_brings_nothing_new_keeps_the_invoices_in_columns() -> None:
    (fetch,) = (kind.fetch for kind in CUSTOMER_RECORD_KINDS if kind.field == "invoices")
    known = _read(_snapshot()).invoices["m1"]
    gateway = cast(CustomerRecordsGateway, _Gateway([SEPTEMBERS, OCTOBERS, DRAFT]))
    assert await fetch(gateway, "m1", cast(tuple[Invoice, ...], known)) is known
    finalized = DRAFT._replace(status="FINALIZED")
    gateway = cast(CustomerRecordsGateway, _Gateway([SEPTEMBERS, OCTOBERS, finalized]))
    refreshed = await fetch(gateway, "m1", cast(tuple[Invoice, ...], known))
    assert refreshed == (SEPTEMBERS, OCTOBERS, finalized)
    assert not isinstance(refreshed, TabledInvoices)
