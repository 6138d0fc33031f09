"""Customers in display order: the rows given, sorted by one column, narrowed by a filter.

Plain Python with no Textual import, so 100,000 rows can be sorted and filtered (and tested)
without a screen. Everything per row is computed once per set of rows: a casefolded haystack
for the filter and the sort column's keys when the rows are indexed (`IndexedRows`, a slice
at a time if need be), and another column's sort keys the first time that column is sorted.

Sort orders are arrays of row numbers and Stripe ids map to row numbers in a dict of
strings: the cyclic garbage collector walks the entries of neither. A list of 100,000 row
numbers in sorted order is walked by every collection until it grows old, 3 to 6 ms each
time (its ints lie all over memory), in whichever frame Textual's own allocations happen to
start one. A filter's matches stay a list: converting them to an array would cost each
keystroke more than the collector spends on them (their ints, made afresh by the scan, lie
side by side).

A filter of more rows than a screen can be found a stretch at a time (`filter_first`, then
`filter_more`): the rows a screen shows at once, the rest between frames. A one- or
two-letter needle matches most of 100,000 rows, and reading every haystack for it took the
keystroke two frames or more.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Generator, Iterable, Iterator, Sequence
from itertools import islice
from typing import NamedTuple, cast, overload

from metro_tui.customer_columns import COLUMN_BY_KEY, CustomerColumn, SortKey
from metro_tui.figures import CustomerRow

SLICE_ROWS = 2_500
"""Rows indexed, sorted or merged at a time: 2 to 3 ms on a quiet machine, so a caller can
let frames and keys in between and no slice holds the loop long even when the machine is
busy (10,000 rows a slice was 25 to 35 ms of CPU at a load of 4 to 5)."""
_FIELD_SEPARATOR = "\x00"
"""Joins the searched fields so a needle never matches across two of them."""


def row_numbers(numbers: Iterable[int] = ()) -> array[int]:
    """Row numbers in a flat array: no int objects, nothing for the collector to walk."""
    return array("i", numbers)


def _haystacks(rows: Sequence[CustomerRow]) -> list[str]:
    sep = _FIELD_SEPARATOR
    return [
        f"{row.name}{sep}{row.email}{sep}{row.stripe_customer_id}{sep}"
        f"{row.metronome_customer_id or ''}".casefold()
        for row in rows
    ]


class SortKeys(NamedTuple):
    """One column's sort key of every row, and whether any row has none."""

    values: tuple[SortKey | None, ...]
    """A tuple, not a list: once a collection has seen that it holds only plain values
    (text, dates, numbers), the collector stops walking it. A list of 100,000 keys was
    walked by every full collection, 25 to 35 ms of a frame on a busy machine."""
    has_missing: bool


class ColumnKeys:
    """A column's sort keys made a slice at a time; whether a key is missing is checked per
    slice, so a sort of every row need not scan for one (4 ms at 100,000 dates on a busy
    machine, where comparing each with None is slow)."""

    __slots__ = ("_made", "_settled", "has_missing")

    def __init__(self) -> None:
        self._made: list[SortKey | None] = []
        self._settled: SortKeys | None = None
        self.has_missing = False

    def add(self, keys: list[SortKey | None]) -> None:
        if not self.has_missing and None in keys:
            self.has_missing = True
        self._made.extend(keys)

    def settled(self) -> SortKeys:
        """Every key made, once all are: the list they were made in is let go."""
        if self._settled is None:
            self._settled = SortKeys(tuple(self._made), self.has_missing)
            self._made = []
        return self._settled


def _display_order(indices: Iterable[int], keys: SortKeys, descending: bool) -> array[int]:
    """`indices` (in the order given) sorted by `keys`, stable, rows with no key last."""
    values = keys.values
    if keys.has_missing:
        present = [i for i in indices if values[i] is not None]
        missing = [i for i in indices if values[i] is None]
    else:
        # Every row has a key (always so for dates and ids): skip two passes over them.
        present, missing = list(indices), []
    # sorted(reverse=True) keeps equal keys in the order given, so both directions are stable.
    present_keys = cast(tuple[SortKey, ...], values)  # only indices with a key are sorted
    present.sort(key=present_keys.__getitem__, reverse=descending)
    order = row_numbers(present)
    order.extend(missing)
    return order


def _sorted_in_slices(
    keys: Sequence[SortKey | None], descending: bool
) -> Generator[None, None, array[int]]:
    """Every index of `keys` in display order, as a `sort` gives it (stable, no key last),
    worked out `SLICE_ROWS` at a time with a pause after each slice."""
    present_keys = cast(Sequence[SortKey], keys)  # only indices with a key are sorted
    runs: list[array[int]] = []
    missing = row_numbers()
    for start in range(0, len(keys), SLICE_ROWS):
        run: list[int] = []
        for i in range(start, min(start + SLICE_ROWS, len(keys))):
            (run if keys[i] is not None else missing).append(i)
        run.sort(key=present_keys.__getitem__, reverse=descending)
        runs.append(row_numbers(run))
        yield
    # The merge takes equal keys from the earlier run first, so the order stays stable.
    merged = heapq.merge(*runs, key=present_keys.__getitem__, reverse=descending)
    order = row_numbers()
    while batch := list(islice(merged, SLICE_ROWS)):
        order.extend(batch)
        yield
    return order + missing


class IndexedRows:
    """New rows and what the filter and the cursor look up in them, built `SLICE_ROWS` at a time.

    At 100,000 rows indexing takes tens of milliseconds; done in slices, the rows on screen stay
    live (and filterable) until the new ones are ready to take their place.
    """

    __slots__ = (
        "_indexed",
        "haystacks",
        "order",
        "row_of_stripe_id",
        "rows",
        "sort_column",
        "sort_keys",
    )

    def __init__(self, rows: Sequence[CustomerRow], sort_column: CustomerColumn) -> None:
        self.rows = tuple(rows)
        self.row_of_stripe_id: dict[str, int] = {}
        """Each Stripe id's row number (the first, should one appear twice)."""
        self.haystacks: list[str] = []
        self.sort_column = sort_column
        self.sort_keys = ColumnKeys()
        """The keys of `sort_column`, the one the rows are expected to be sorted by."""
        self.order: tuple[bool, array[int]] | None = None
        """Every row in display order by `sort_column` (descending or not), if worked out."""
        self._indexed = 0

    @property
    def complete(self) -> bool:
        return self._indexed == len(self.rows)

    def index_slice(self) -> tuple[CustomerRow, ...]:
        """Index the next rows; returns them, for whatever else the caller derives per row."""
        start = self._indexed
        batch = self.rows[start : start + SLICE_ROWS]
        ids = [row.stripe_customer_id for row in batch]
        # Built reversed so the first of an id repeated in the slice wins; an id of an
        # earlier slice keeps its row.
        end = start + len(batch)
        fresh = dict(zip(reversed(ids), reversed(range(start, end)), strict=True))
        known = self.row_of_stripe_id
        if not known.keys().isdisjoint(fresh):
            for repeated in known.keys() & fresh.keys():
                del fresh[repeated]
        known.update(fresh)
        self.haystacks.extend(_haystacks(batch))
        self.sort_keys.add(list(map(COLUMN_BY_KEY[self.sort_column].sort_key, batch)))
        self._indexed = end
        return batch

    def sort(self, *, descending: bool) -> None:
        """Put every row in order by `sort_column` ahead of `CustomerListing.adopt`, so a
        caller can give the sort a step of its own (at 100,000 rows it is the longest)."""
        if not self.complete:
            raise ValueError("the rows are not all indexed yet")
        keys = self.sort_keys.settled()
        self.order = (descending, _display_order(range(len(self.rows)), keys, descending))


FIRST_STRETCH_ROWS = 500
"""Rows a filter reads at a time while it finds the first screen of matches: a fraction of
a millisecond, so a selective needle stops soon after the screen is full."""


class FilterScan:
    """The rows whose haystack contains a needle, found in display order a stretch at a time.

    It reads its sources one after another: the rows in display order, or, when a longer
    needle follows one still being searched for, that one's matches so far and then the rows
    it had still to read.
    """

    __slots__ = ("_at", "_haystacks", "_sources", "matches", "needle")

    def __init__(
        self, needle: str, haystacks: Sequence[str], sources: Sequence[Sequence[int]]
    ) -> None:
        self.needle = needle
        self.matches: list[int] = []
        """Row numbers found so far, in display order."""
        self._haystacks = haystacks
        self._sources = [source for source in sources if source]
        self._at = 0
        """How far the first source has been read."""

    @property
    def complete(self) -> bool:
        return not self._sources

    def unread(self) -> list[Sequence[int]]:
        """The row numbers still to read, in display order."""
        if not self._sources:
            return []
        first, *rest = self._sources
        return [first[self._at :], *rest]

    def read_all(self) -> None:
        """Read every row left."""
        while self._sources:
            self.read(len(self._sources[0]) - self._at)

    def read(self, rows: int) -> list[int]:
        """Read up to `rows` more rows; returns the matches among them (also in `matches`)."""
        needle, haystacks = self.needle, self._haystacks
        found: list[int] = []
        while rows > 0 and self._sources:
            source = self._sources[0]
            stop = min(self._at + rows, len(source))
            found.extend([i for i in source[self._at : stop] if needle in haystacks[i]])
            rows -= stop - self._at
            self._at = stop
            if stop == len(source):
                del self._sources[0]
                self._at = 0
        self.matches.extend(found)
        return found


class ShownRows(Sequence[CustomerRow]):
    """Rows in display order, looked up on access: nothing is copied per sort or keystroke."""

    __slots__ = ("_indices", "_rows")

    def __init__(self, rows: tuple[CustomerRow, ...], indices: Sequence[int]) -> None:
        # Neither is ever changed in place, so a view taken earlier stays as it was.
        self._rows = rows
        self._indices = indices

    def __len__(self) -> int:
        return len(self._indices)

    @overload
    def __getitem__(self, index: int) -> CustomerRow: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[CustomerRow]: ...

    def __getitem__(self, index: int | slice) -> CustomerRow | Sequence[CustomerRow]:
        if isinstance(index, slice):
            return ShownRows(self._rows, self._indices[index])
        return self._rows[self._indices[index]]

    def __iter__(self) -> Iterator[CustomerRow]:
        return map(self._rows.__getitem__, self._indices)


class CustomerListing:
    """The filtered, sorted view over one set of customer rows; always sorted by one column."""

    def __init__(self, sort_column: CustomerColumn, *, descending: bool) -> None:
        self._rows: tuple[CustomerRow, ...] = ()
        self._row_of_stripe_id: dict[str, int] = {}
        self._haystacks: tuple[str, ...] = ()
        """Each row's searched text: a tuple, which the collector stops walking (see
        `SortKeys`)."""
        self._sort_keys: dict[CustomerColumn, SortKeys] = {}
        self._sort_column = sort_column
        self._descending = descending
        self._order: array[int] | None = None
        """Every row's index in display order, sorted only once the filter is cleared."""
        self._prepared: tuple[tuple[CustomerColumn, bool], array[int]] | None = None
        """The order of a sort (column, descending) worked out ahead by `prepare_sort`."""
        self._needle = ""
        self._matching: Sequence[int] = row_numbers()
        """Indices of the rows shown, in display order."""
        self._shown = ShownRows((), self._matching)
        self._scan: FilterScan | None = None
        """The filter's search, while rows after those shown are still to be read."""

    @property
    def rows(self) -> ShownRows:
        """The rows shown: filtered and sorted."""
        return self._shown

    @property
    def total_count(self) -> int:
        return len(self._rows)

    @property
    def filtering(self) -> bool:
        """True while the filter has found the first rows only (`filter_first`): the rows
        shown are the first matches, exactly, and more may follow (`filter_more`)."""
        return self._scan is not None

    @property
    def pending_filter(self) -> FilterScan | None:
        """The filter's search while `filtering`: a newer one (or none) once it is replaced."""
        return self._scan

    @property
    def sort_column(self) -> CustomerColumn:
        return self._sort_column

    @property
    def descending(self) -> bool:
        return self._descending

    def replace(self, rows: Sequence[CustomerRow]) -> None:
        """Take new rows, keeping the sort and the filter."""
        indexed = IndexedRows(rows, self._sort_column)
        while not indexed.complete:
            indexed.index_slice()
        self.adopt(indexed)

    def adopt(self, indexed: IndexedRows) -> None:
        """Take new rows indexed beforehand, keeping the sort and the filter."""
        if not indexed.complete:
            raise ValueError("the rows are not all indexed yet")
        self._rows = indexed.rows
        self._row_of_stripe_id = indexed.row_of_stripe_id
        self._haystacks = tuple(indexed.haystacks)
        self._sort_keys = {indexed.sort_column: indexed.sort_keys.settled()}
        self._prepared = None
        if indexed.order is not None:
            descending, order = indexed.order
            self._prepared = ((indexed.sort_column, descending), order)
        self._rebuild()

    def sort(self, column: CustomerColumn, *, descending: bool = False) -> None:
        """Order by `column`, stable, rows with no key last."""
        self._sort_column = column
        self._descending = descending
        self._rebuild()

    def sort_prepared(self, column: CustomerColumn, *, descending: bool) -> bool:
        """True when `sort(column, descending=descending)` has its order worked out already."""
        return self._prepared is not None and self._prepared[0] == (column, descending)

    def prepare_sort(self, column: CustomerColumn, *, descending: bool) -> Iterator[None]:
        """Work out the order of a sort `SLICE_ROWS` rows at a time, pausing after each slice,
        for `sort` to take at once: the column's keys if need be, then sorted runs of a slice
        each, then their merge. Dropped if the rows change meanwhile."""
        rows = self._rows
        keys = self._sort_keys.get(column)
        if keys is None:
            sort_key = COLUMN_BY_KEY[column].sort_key
            made = ColumnKeys()
            for start in range(0, len(rows), SLICE_ROWS):
                made.add(list(map(sort_key, rows[start : start + SLICE_ROWS])))
                yield
            if self._rows is not rows:
                return
            keys = self._sort_keys[column] = made.settled()
        order = yield from _sorted_in_slices(keys.values, descending)
        if self._rows is rows:
            self._prepared = ((column, descending), order)

    def filter(self, needle: str) -> None:
        """Keep the rows whose name, email, Stripe id or Metronome id contain `needle`."""
        scan = self._start_filter(needle)
        if scan is not None:
            scan.read_all()
            self._show(scan.matches)

    def filter_first(self, needle: str, *, kept: int | None, screen: int) -> int | None:
        """Filter as `filter` does, but find at once only the matches up to `screen` rows past
        where the row at index `kept` lands (or past the top, if it no longer matches); the
        rest is left to `filter_more` while `filtering`. Returns that position, or None.

        The rows shown are always the first matches in display order, exactly as a whole
        filter shows them: only their count is short until the rest are read.
        """
        scan = self._start_filter(needle)
        if scan is None:
            return None if kept is None else self.position_of_index(kept)
        wanted = kept is not None and scan.needle in self._haystacks[kept]
        position: int | None = None
        while not scan.complete:
            before = len(scan.matches)
            found = scan.read(FIRST_STRETCH_ROWS)
            if wanted and position is None and kept in found:
                position = before + found.index(kept)
            if (position is not None or not wanted) and len(scan.matches) >= (
                position or 0
            ) + screen:
                break
        if scan.complete:
            self._show(scan.matches)
        else:
            self._show(scan.matches.copy())  # the scan goes on adding to its own list
            self._scan = scan
        return position

    def filter_more(self, rows: int) -> bool:
        """Read up to `rows` more rows for the filter; True once every match is shown."""
        scan = self._scan
        if scan is None:
            return True
        scan.read(rows)
        if not scan.complete:
            return False
        self._show(scan.matches)
        return True

    def settle_filter(self) -> None:
        """Find every match of the filter now, if some are still to be read."""
        if self._scan is not None:
            self._scan.read_all()
            self._show(self._scan.matches)

    def position_of(self, stripe_customer_id: str) -> int | None:
        """Where the customer is among the rows shown, or None if it is not shown."""
        index = self._row_of_stripe_id.get(stripe_customer_id)
        return None if index is None else self.position_of_index(index)

    def index_at(self, position: int) -> int | None:
        """The row shown at `position`, as its index among all rows; None if none is there.

        Finding it again after a sort or a filter compares numbers rather than ids: at
        100,000 rows that is a millisecond or two of each keystroke saved.
        """
        return self._matching[position] if 0 <= position < len(self._matching) else None

    def position_of_index(self, index: int) -> int | None:
        """Where the row at `index` among all rows is among the rows shown, or None."""
        self.settle_filter()
        try:
            return self._matching.index(index)
        except ValueError:
            return None

    def _rebuild(self) -> None:
        """Recompute the rows shown after the rows or the sort changed."""
        prepared, self._prepared = self._prepared, None
        wanted = (self._sort_column, self._descending)
        self._order = prepared[1] if prepared is not None and prepared[0] == wanted else None
        self._show(self._from_scratch())

    def _start_filter(self, needle: str) -> FilterScan | None:
        """The search for `needle` in display order; None when nothing is left to search
        (no needle, or no sort order to read the rows in: then the rows shown are set)."""
        needle = needle.casefold()
        previous, scan = self._needle, self._scan
        self._needle = needle
        if previous and previous in needle:
            # A longer needle can only match rows the shorter one matched: search those alone,
            # then whatever the shorter one had still to read.
            sources = [self._matching] if scan is None else [scan.matches, *scan.unread()]
            return FilterScan(needle, self._haystacks, sources)
        if needle and self._order is not None:
            return FilterScan(needle, self._haystacks, [self._order])
        self._show(self._from_scratch())
        return None

    def _from_scratch(self) -> Sequence[int]:
        needle = self._needle
        if not needle:
            return self._full_order()
        if self._order is not None:
            return self._containing(self._order, needle)
        # Filtering in the order given reads the haystacks in memory order and leaves only
        # the matches to sort: far cheaper than sorting every row first.
        return self._sorted(self._containing(range(len(self._rows)), needle))

    def _full_order(self) -> array[int]:
        if self._order is None:
            self._order = self._sorted(range(len(self._rows)))
        return self._order

    def _sorted(self, indices: Sequence[int]) -> array[int]:
        """`indices` (in the order given) in display order."""
        column = self._sort_column
        keys = self._sort_keys.get(column)
        if keys is None:
            made = ColumnKeys()
            made.add(list(map(COLUMN_BY_KEY[column].sort_key, self._rows)))
            keys = self._sort_keys[column] = made.settled()
        return _display_order(indices, keys, self._descending)

    def _containing(self, source: Sequence[int], needle: str) -> Sequence[int]:
        if not needle:
            return source
        haystacks = self._haystacks
        return [i for i in source if needle in haystacks[i]]

    def _show(self, matching: Sequence[int]) -> None:
        self._scan = None
        self._matching = matching
        self._shown = ShownRows(self._rows, matching)
