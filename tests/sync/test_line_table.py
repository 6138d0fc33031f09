"""Invoice lines as a cache read keeps them: rows of one table, equal to tuples of records."""

from __future__ import annotations

import gc
from datetime import UTC, datetime

import pytest

from metro_tui.models import Invoice, InvoiceLineItem
from metro_tui.sync import snapshot_codec
from metro_tui.sync.line_table import LineTable, TabledLines
from metro_tui.sync.snapshot import AccountSnapshot
from tests.sync.damaged_files import with_invoice_field

OCTOBER = datetime(2026, 10, 1, tzinfo=UTC)
NOVEMBER = datetime(2026, 11, 1, tzinfo=UTC)
API = InvoiceLineItem("API calls", "p-api", 12_345)
SEATS = InvoiceLineItem("Seats", "p-seats", 4_000)
SETUP = InvoiceLineItem("Setup fee", None, 100)


def _table() -> LineTable:
    """API calls, Seats and the setup fee, as lines 0, 1 and 2."""
    table = LineTable()
    table.name_products([("API calls", "p-api"), ("Seats", "p-seats"), ("Setup fee", None)])
    table.extend([(0, 12_345), (1, 4_000), (2, 100)])
    return table


def test_tabled_lines_read_as_the_tuple_of_their_records() -> None:
    lines = _table().lines_of([2, 0, 2])
    assert isinstance(lines, TabledLines)
    assert len(lines) == 3
    assert list(lines) == [SETUP, API, SETUP]
    assert (lines[0], lines[1], lines[-1]) == (SETUP, API, SETUP)
    assert lines[1:] == (API, SETUP)
    assert list(lines.line_values()) == [
        ("Setup fee", None, 100),
        ("API calls", "p-api", 12_345),
        ("Setup fee", None, 100),
    ]
    assert repr(lines) == repr((SETUP, API, SETUP))
    with pytest.raises(IndexError):
        lines[3]


def test_tabled_lines_equal_and_hash_as_the_tuple_of_their_records() -> None:
    table = _table()
    lines = table.lines_of([0, 1])
    assert lines == (API, SEATS)
    # A tuple on the left hands the comparison to the tabled lines.
    assert (API, SEATS) == lines  # noqa: SIM300
    assert lines != (SEATS, API)
    assert lines != [API, SEATS]
    assert lines == table.lines_of([0, 1])
    assert lines != table.lines_of([1, 0])
    assert lines == _table().lines_of([0, 1])
    assert hash(lines) == hash((API, SEATS))
    tabled = Invoice("i1", "m1", "FINALIZED", OCTOBER, NOVEMBER, 16_345, lines)
    plain = Invoice("i1", "m1", "FINALIZED", OCTOBER, NOVEMBER, 16_345, (API, SEATS))
    assert tabled == plain
    assert hash(tabled) == hash(plain)


def test_an_invoice_without_lines_has_the_empty_tuple() -> None:
    assert _table().lines_of([]) == ()


def test_an_index_outside_the_table_is_refused() -> None:
    table = _table()
    with pytest.raises(IndexError):
        table.lines_of([0, 3])
    with pytest.raises(OverflowError):
        table.lines_of([-1])
    with pytest.raises(IndexError):
        table.extend([(3, 500)])


def _invoice(lines: tuple[InvoiceLineItem, ...]) -> Invoice:
    return Invoice("i1", "m1", "FINALIZED", OCTOBER, NOVEMBER, 16_445, lines)


def test_a_read_snapshot_keeps_lines_in_its_table_and_no_record_of_them() -> None:
    snapshot = AccountSnapshot(invoices={"m1": (_invoice((API, SEATS, SETUP)), _invoice(()))})
    read = snapshot_codec.decode(list(snapshot_codec.encode(snapshot))[1:])
    assert read == snapshot
    lines = read.invoices["m1"][0].line_items
    assert isinstance(lines, TabledLines)
    assert not [o for o in gc.get_referents(lines) if isinstance(o, InvoiceLineItem)]
    assert read.invoices["m1"][1].line_items == ()


LINE_REFS = 5
"""Where an invoice's line indexes are in the cache file's invoice."""


@pytest.mark.parametrize("refs", [[0, 3], [-1]])
def test_a_file_whose_invoice_names_a_line_past_its_table_is_damaged(refs: list[int]) -> None:
    snapshot = AccountSnapshot(invoices={"m1": (_invoice((API, SEATS, SETUP)),)})
    assert snapshot_codec.decode(with_invoice_field(snapshot, LINE_REFS, [2, 1, 0])).invoices["m1"][
        0
    ].line_items == (SETUP, SEATS, API)
    with pytest.raises(snapshot_codec.DamagedCache):
        snapshot_codec.decode(with_invoice_field(snapshot, LINE_REFS, refs))


def test_lines_at_other_indexes_of_one_table_that_hold_equal_lines_are_equal() -> None:
    table = _table()
    table.extend([(0, 12_345)])
    assert table.lines_of([3]) == table.lines_of([0])
    assert hash(table.lines_of([3])) == hash(table.lines_of([0]))
