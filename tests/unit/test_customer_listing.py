"""The Customers listing indexed a slice at a time: the same rows, filter and widths as at once."""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterable, Sized
from datetime import UTC, datetime, timedelta

import pytest

from metro_tui.customer_columns import CustomerColumn
from metro_tui.view_models import CustomerRow
from metro_tui.widgets.customer_listing import SLICE_ROWS, CustomerListing, IndexedRows
from metro_tui.widgets.table_layout import data_widths

ROWS_IN_THREE_SLICES = 2 * SLICE_ROWS + 1


def customers(count: int) -> list[CustomerRow]:
    """Newest first; every tenth not in Metronome, and one whose invoices could not load."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [
        CustomerRow(
            stripe_customer_id=f"cus_{i:014d}",
            metronome_customer_id=None if i % 10 == 0 else f"m-{i:08d}",
            name=f"Customer {i}",
            email=f"billing{i}@example.com",
            date_created=start - timedelta(minutes=i),
            lifetime_billings_cents=None if i % 10 == 0 or i == 7 else i * 100,
            provision_status=None,
            billings_error="timed out" if i == 7 else None,
        )
        for i in range(count)
    ]


def numbers(rows: Iterable[CustomerRow]) -> list[int]:
    return [int(row.stripe_customer_id.removeprefix("cus_")) for row in rows]


def test_rows_are_indexed_a_slice_at_a_time_in_order() -> None:
    rows = customers(ROWS_IN_THREE_SLICES)
    indexed = IndexedRows(rows, CustomerColumn.DATE_CREATED)
    slices = []
    while not indexed.complete:
        slices.append(indexed.index_slice())
    assert [len(batch) for batch in slices] == [SLICE_ROWS, SLICE_ROWS, 1]
    assert [row for batch in slices for row in batch] == rows
    assert indexed.row_of_stripe_id == {row.stripe_customer_id: i for i, row in enumerate(rows)}


def test_a_stripe_id_given_twice_is_found_at_its_first_row() -> None:
    rows = customers(ROWS_IN_THREE_SLICES)
    # Row 5's id again in the second slice and twice in the last.
    rows[SLICE_ROWS + 3] = dataclasses.replace(
        rows[SLICE_ROWS + 3], stripe_customer_id=rows[5].stripe_customer_id
    )
    rows[-1] = dataclasses.replace(rows[-1], stripe_customer_id=rows[5].stripe_customer_id)
    listing = CustomerListing(CustomerColumn.DATE_CREATED, descending=False)
    listing.replace(rows)
    # Oldest first: row 20,000 at the top, row 5 at position 19,995.
    assert listing.position_of("cus_00000000000005") == 2 * SLICE_ROWS - 5
    listing.filter("customer 20000")
    assert listing.position_of("cus_00000000000005") is None


def test_a_filter_over_rows_indexed_in_slices_equals_a_plain_scan() -> None:
    rows = customers(ROWS_IN_THREE_SLICES)
    indexed = IndexedRows(rows, CustomerColumn.DATE_CREATED)
    while not indexed.complete:
        indexed.index_slice()
    listing = CustomerListing(CustomerColumn.DATE_CREATED, descending=True)
    listing.filter("CUSTOMER 499")
    listing.adopt(indexed)
    # A plain scan, in the order given (newest first, as the sort asks).
    assert numbers(listing.rows) == [
        i for i in range(ROWS_IN_THREE_SLICES) if "customer 499" in rows[i].name.casefold()
    ]
    assert numbers(listing.rows) == [499, *range(4990, 5000)]
    listing.filter("M-0000499")  # the Metronome ids of 4,991 to 4,999 (4,990 has none)
    assert numbers(listing.rows) == list(range(4991, 5000))
    assert listing.position_of("cus_00000000004995") == 4


def test_rows_not_all_indexed_are_refused() -> None:
    indexed = IndexedRows(customers(SLICE_ROWS + 1), CustomerColumn.NAME)
    indexed.index_slice()
    listing = CustomerListing(CustomerColumn.NAME, descending=False)
    with pytest.raises(ValueError, match="not all indexed"):
        listing.adopt(indexed)
    assert listing.total_count == 0


def test_column_widths_measured_a_slice_at_a_time_equal_all_at_once() -> None:
    rows = customers(ROWS_IN_THREE_SLICES)
    indexed = IndexedRows(rows, CustomerColumn.DATE_CREATED)
    widths: dict[CustomerColumn, int] = {}
    while not indexed.complete:
        widths = data_widths(indexed.index_slice(), at_least=widths)
    # The widest amount, $4,999.00 (row 4,999), is in the second slice; "Could not load"
    # (row 7) in the first.
    expected = {CustomerColumn.STRIPE_ID: 18, CustomerColumn.LIFETIME_BILLINGS: 14}
    assert widths == data_widths(rows) == expected
    assert data_widths(rows[SLICE_ROWS:]) == {
        CustomerColumn.STRIPE_ID: 18,
        CustomerColumn.LIFETIME_BILLINGS: len("$4,999.00"),
    }


def test_a_row_is_found_again_by_its_index_after_a_filter_and_a_sort() -> None:
    listing = CustomerListing(CustomerColumn.DATE_CREATED, descending=True)
    listing.replace(customers(30))
    kept = listing.index_at(12)
    assert kept == 12
    listing.filter("customer 1")
    assert numbers(listing.rows) == [1, *range(10, 20)]
    assert listing.position_of_index(12) == 3
    listing.sort(CustomerColumn.DATE_CREATED, descending=False)
    assert listing.position_of_index(12) == 7
    assert listing.position_of_index(20) is None  # filtered out
    assert (listing.index_at(7), listing.index_at(11), listing.index_at(-1)) == (12, None, None)


def test_a_sort_prepared_in_slices_equals_a_sort_at_once() -> None:
    rows = customers(ROWS_IN_THREE_SLICES)
    # Pauses: three slices of keys, three sorted runs, then the merge a slice at a time.
    for column, descending, pauses in (
        (CustomerColumn.NAME, True, 3 + 3 + 3),
        (CustomerColumn.NAME, False, 3 + 3 + 3),
        # No amount every tenth row and row 7: 4,499 to merge, and those last.
        (CustomerColumn.LIFETIME_BILLINGS, True, 3 + 3 + 2),
    ):
        sliced = CustomerListing(CustomerColumn.DATE_CREATED, descending=True)
        sliced.replace(rows)
        assert not sliced.sort_prepared(column, descending=descending)
        assert sum(1 for _ in sliced.prepare_sort(column, descending=descending)) == pauses
        assert sliced.sort_prepared(column, descending=descending)
        sliced.sort(column, descending=descending)
        at_once = CustomerListing(column, descending=descending)
        at_once.replace(rows)
        assert numbers(sliced.rows) == numbers(at_once.rows)
    assert numbers(sliced.rows[:2]) == [4999, 4998]
    assert numbers(sliced.rows[-3:]) == [4980, 4990, 5000]


@pytest.mark.parametrize(
    ("column", "descending"),
    [
        (CustomerColumn.DATE_CREATED, True),
        (CustomerColumn.LIFETIME_BILLINGS, False),
        (CustomerColumn.LIFETIME_BILLINGS, True),
    ],
)
def test_rows_sorted_before_they_are_taken_show_as_a_sort_at_once(
    column: CustomerColumn, descending: bool
) -> None:
    rows = customers(ROWS_IN_THREE_SLICES)
    indexed = IndexedRows(rows, column)
    while not indexed.complete:
        indexed.index_slice()
    indexed.sort(descending=descending)
    listing = CustomerListing(column, descending=descending)
    listing.adopt(indexed)
    at_once = CustomerListing(column, descending=descending)
    at_once.replace(rows)
    assert numbers(listing.rows) == numbers(at_once.rows)
    if column == CustomerColumn.LIFETIME_BILLINGS and not descending:
        # No amount every tenth row and row 7: those last, in the order given.
        assert numbers(listing.rows[:7]) == [1, 2, 3, 4, 5, 6, 8]
        assert numbers(listing.rows[-3:]) == [4980, 4990, 5000]


def test_rows_sorted_the_other_way_before_they_are_taken_are_sorted_as_the_listing_is() -> None:
    rows = customers(ROWS_IN_THREE_SLICES)
    indexed = IndexedRows(rows, CustomerColumn.DATE_CREATED)
    while not indexed.complete:
        indexed.index_slice()
    indexed.sort(descending=True)
    listing = CustomerListing(CustomerColumn.DATE_CREATED, descending=False)
    listing.adopt(indexed)
    assert numbers(listing.rows) == list(reversed(range(ROWS_IN_THREE_SLICES)))


def test_rows_are_sorted_before_they_are_taken_only_once_all_are_indexed() -> None:
    indexed = IndexedRows(customers(SLICE_ROWS + 1), CustomerColumn.DATE_CREATED)
    indexed.index_slice()
    with pytest.raises(ValueError, match="not all indexed"):
        indexed.sort(descending=True)


def test_a_sort_prepared_in_slices_keeps_equal_keys_in_the_order_given() -> None:
    # Four emails only, so every key recurs in every slice.
    rows = [
        dataclasses.replace(row, email=f"{row.stripe_customer_id[-1:]}@x.example")
        for row in customers(ROWS_IN_THREE_SLICES)
    ]
    for descending in (False, True):
        sliced = CustomerListing(CustomerColumn.DATE_CREATED, descending=True)
        sliced.replace(rows)
        for _ in sliced.prepare_sort(CustomerColumn.EMAIL, descending=descending):
            pass
        sliced.sort(CustomerColumn.EMAIL, descending=descending)
        expected = sorted(range(len(rows)), key=lambda i: rows[i].email, reverse=descending)
        assert numbers(sliced.rows) == expected


def test_a_sort_prepared_for_rows_replaced_meanwhile_is_dropped() -> None:
    listing = CustomerListing(CustomerColumn.DATE_CREATED, descending=True)
    listing.replace(customers(ROWS_IN_THREE_SLICES))
    slices = listing.prepare_sort(CustomerColumn.EMAIL, descending=False)
    next(slices)
    listing.replace(customers(3))
    assert list(slices) == [None, None]
    assert not listing.sort_prepared(CustomerColumn.EMAIL, descending=False)


def test_rows_indexed_for_the_sort_column_bring_its_keys() -> None:
    rows = customers(ROWS_IN_THREE_SLICES)
    indexed = IndexedRows(rows, CustomerColumn.NAME)
    while not indexed.complete:
        indexed.index_slice()
    listing = CustomerListing(CustomerColumn.NAME, descending=False)
    listing.adopt(indexed)
    assert listing._sort_keys[CustomerColumn.NAME] == (
        tuple(row.name.casefold() for row in rows),
        False,
    )
    assert numbers(listing.rows[:4]) == [0, 1, 10, 100]


def test_sort_orders_and_id_look_ups_are_nothing_the_collector_walks() -> None:
    listing = CustomerListing(CustomerColumn.DATE_CREATED, descending=True)
    listing.replace(customers(ROWS_IN_THREE_SLICES))
    date_order = listing._order
    listing.sort(CustomerColumn.NAME)
    listing.filter("customer 1")
    assert date_order is not None and listing._order is not None
    held: dict[str, Sized] = {
        "date order": date_order,
        "name order": listing._order,
        "Stripe ids": listing._row_of_stripe_id,
    }
    assert [len(value) for value in held.values()] == [5001, 5001, 5001]
    assert len(listing.rows) == 1111
    # A collection visits what a tracked object refers to: an array refers to its type alone.
    visited = {
        name: len(gc.get_referents(value)) if gc.is_tracked(value) else 0
        for name, value in held.items()
    }
    assert visited == {"date order": 1, "name order": 1, "Stripe ids": 0}


def test_a_row_with_no_key_in_the_last_slice_still_sorts_last() -> None:
    rows = customers(ROWS_IN_THREE_SLICES)
    # Every row has a name but the very last one, indexed in a slice of its own.
    rows = [
        dataclasses.replace(row, name=row.name if i < len(rows) - 1 else "")
        for i, row in enumerate(rows)
    ]
    indexed = IndexedRows(rows, CustomerColumn.NAME)
    flags = []
    while not indexed.complete:
        indexed.index_slice()
        flags.append(indexed.sort_keys.has_missing)
    assert flags == [False, False, True]
    listing = CustomerListing(CustomerColumn.NAME, descending=True)
    listing.adopt(indexed)
    assert numbers(listing.rows[:2]) == [999, 998]
    assert numbers(listing.rows[-2:]) == [0, 5000]


def test_haystacks_and_keys_drop_out_of_the_collectors_walks_once_it_has_seen_them() -> None:
    listing = CustomerListing(CustomerColumn.DATE_CREATED, descending=True)
    listing.replace(customers(ROWS_IN_THREE_SLICES))
    for _ in listing.prepare_sort(CustomerColumn.NAME, descending=False):
        pass
    held = {
        "haystacks": listing._haystacks,
        "date keys": listing._sort_keys[CustomerColumn.DATE_CREATED].values,
        "name keys": listing._sort_keys[CustomerColumn.NAME].values,
    }
    assert [len(value) for value in held.values()] == [5001, 5001, 5001]
    gc.collect()
    assert {name: gc.is_tracked(value) for name, value in held.items()} == dict.fromkeys(
        held, False
    )


def _filtered_at_once(rows: list[CustomerRow], needle: str) -> list[int]:
    listing = CustomerListing(CustomerColumn.DATE_CREATED, descending=True)
    listing.replace(rows)
    listing.filter(needle)
    return numbers(listing.rows)


def test_a_filter_found_a_stretch_at_a_time_shows_the_first_matches_then_all() -> None:
    rows = customers(ROWS_IN_THREE_SLICES)
    listing = CustomerListing(CustomerColumn.DATE_CREATED, descending=True)
    listing.replace(rows)
    everything = _filtered_at_once(rows, "customer 1")
    assert len(everything) == 1_111  # 1, 10 to 19, 100 to 199, 1,000 to 1,999
    assert listing.filter_first("Customer 1", kept=None, screen=30) is None
    # The first matches in display order, exactly, and at least a screen of them.
    assert listing.filtering
    shown = numbers(listing.rows)
    assert 30 <= len(shown) < len(everything)
    assert shown == everything[: len(shown)]
    steps = 0
    while not listing.filter_more(SLICE_ROWS // 10):
        steps += 1
        assert numbers(listing.rows) == shown  # the rows shown change once, when all are found
    assert steps > 0
    assert not listing.filtering
    assert numbers(listing.rows) == everything


@pytest.mark.parametrize(
    ("typed", "read_between"),
    [
        (["c", "cu", "customer 1", "customer 12"], 0),
        (["c", "cu", "customer 1", "customer 12"], 700),
        (["customer 1", "customer 2"], 0),  # not narrowing: searched from scratch
        (["customer 12", "customer 1"], 0),  # a key deleted: from scratch too
        (["customer 1", "customer 12", ""], 0),
        (["m-", "m-0000", "billing2"], 700),
    ],
)
def test_a_needle_typed_while_the_one_before_is_still_searched_for_wins(
    typed: list[str], read_between: int
) -> None:
    """Each key starts a search of its own; a longer needle narrows the previous one's matches
    so far and its rows still unread: what is shown in the end is what a fresh filter shows."""
    rows = customers(ROWS_IN_THREE_SLICES)
    listing = CustomerListing(CustomerColumn.DATE_CREATED, descending=True)
    listing.replace(rows)
    for needle in typed:
        listing.filter_first(needle, kept=None, screen=20)
        shown = numbers(listing.rows)
        assert shown == _filtered_at_once(rows, needle)[: len(shown)]
        listing.filter_more(read_between)
    listing.settle_filter()
    assert numbers(listing.rows) == _filtered_at_once(rows, typed[-1])


def test_a_filter_in_stretches_finds_the_kept_row_and_a_screen_past_it() -> None:
    rows = customers(ROWS_IN_THREE_SLICES)
    listing = CustomerListing(CustomerColumn.DATE_CREATED, descending=True)
    listing.replace(rows)
    everything = _filtered_at_once(rows, "customer 1")
    kept = 1_500  # the 612th match: 1, 10 to 19, 100 to 199, then 1,000 to 1,500
    position = listing.filter_first("customer 1", kept=kept, screen=25)
    assert position == everything.index(kept) == 611
    assert listing.index_at(611) == kept
    assert len(listing.rows) >= 611 + 25
    # A row the needle no longer matches is not looked for: the top of the matches is enough.
    assert listing.filter_first("customer 12", kept=kept, screen=25) is None
    assert numbers(listing.rows) == _filtered_at_once(rows, "customer 12")[: len(listing.rows)]


def test_a_sort_or_a_look_up_while_filtering_sees_every_match() -> None:
    rows = customers(ROWS_IN_THREE_SLICES)
    listing = CustomerListing(CustomerColumn.DATE_CREATED, descending=True)
    listing.replace(rows)
    listing.filter_first("customer 1", kept=None, screen=10)
    assert listing.filtering
    assert listing.position_of("cus_00000000001999") == 1_110  # the last match
    assert not listing.filtering
    listing.filter_first("customer", kept=None, screen=10)
    listing.sort(CustomerColumn.DATE_CREATED, descending=False)
    assert not listing.filtering
    assert numbers(listing.rows) == list(reversed(range(ROWS_IN_THREE_SLICES)))
