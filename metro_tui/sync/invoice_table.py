"""Invoices as a snapshot read from the cache keeps them: columns of one table for the whole
account, each customer holding the range of its own rows.

At 100,000 customers an account has 122,000 invoices. Kept as one `Invoice` record each (a
tuple of seven fields), its id a string of its own and its lines an object holding their
indexes in bytes, they took about 37 MB with their lines; in columns (the ids' text in one
buffer, statuses, period bounds, totals and line indexes in arrays) about 8 MB. A record is
made only when an invoice is read (the customer page, a refresh, writing the cache); the
revenue figures and the top products read the columns' values (`InvoiceColumns`).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, overload

from metro_tui.invoice_columns import (
    InvoiceColumns,
    InvoiceLineValues,
    InvoiceTotal,
    RecordsAsTuple,
)
from metro_tui.models import Invoice
from metro_tui.sync.line_table import LineTable

InvoiceRow = Sequence[Any]
"""One invoice as the file writes it: id, status, start and end (indexes into the period
bounds), total cents and its lines' indexes into the table of lines."""


class InvoiceTable:
    """The invoices of one snapshot, a column per field, in the order they were read."""

    __slots__ = (
        "_bounds",
        "_cents",
        "_ends",
        "_id_starts",
        "_ids",
        "_line_refs",
        "_line_starts",
        "_lines",
        "_starts",
        "_status",
        "_status_of",
        "_statuses",
    )

    def __init__(self, lines: LineTable) -> None:
        self._lines = lines
        self._bounds: Sequence[datetime] = ()
        self._statuses: list[str] = []
        self._status_of: dict[str, int] = {}
        # The ids as UTF-8 in one buffer; row i's is ids[id_starts[i]:id_starts[i + 1]].
        self._ids = bytearray()
        self._id_starts = array("I", [0])
        self._status = array("H")
        self._starts = array("I")
        self._ends = array("I")
        self._cents = array("q")
        # Row i's lines are line_refs[line_starts[i]:line_starts[i + 1]].
        self._line_refs = array("I")
        self._line_starts = array("I", [0])

    def __len__(self) -> int:
        return len(self._cents)

    def name_bounds(self, bounds: Sequence[datetime]) -> None:
        """The period bounds the invoices name by index."""
        self._bounds = bounds

    def add(self, customer_id: str, rows: Iterable[InvoiceRow]) -> Sequence[Invoice]:
        """One customer's invoices; an index past the bounds or the lines, or a value of the
        wrong kind, raises `IndexError`, `OverflowError`, `TypeError` or `ValueError`."""
        first, first_ref = len(self._cents), len(self._line_refs)
        for id, status, start, end, cents, refs in rows:
            if not isinstance(id, str):
                raise TypeError("an invoice id is not text")
            self._ids += id.encode()
            self._id_starts.append(len(self._ids))
            self._status.append(self._status_index(status))
            self._starts.append(start)
            self._ends.append(end)
            self._cents.append(cents)
            self._line_refs.extend(refs)
            self._line_starts.append(len(self._line_refs))
        stop = len(self._cents)
        if first == stop:
            return ()
        # Unsigned arrays refuse a negative index (OverflowError); one past the end is checked.
        bounds = max(max(self._starts[first:]), max(self._ends[first:]))
        if bounds >= len(self._bounds):
            raise IndexError(f"period bound {bounds} of {len(self._bounds)}")
        refs = self._line_refs[first_ref:]
        if refs and max(refs) >= len(self._lines):
            raise IndexError(f"invoice line {max(refs)} of {len(self._lines)}")
        return TabledInvoices(self, customer_id, first, stop)

    def _status_index(self, status: object) -> int:
        if not isinstance(status, str):
            raise TypeError("an invoice status is not text")
        index = self._status_of.get(status)
        if index is None:
            index = self._status_of[status] = len(self._statuses)
            self._statuses.append(status)
        return index

    def invoice(self, customer_id: str, row: int) -> Invoice:
        """The record of the invoice at `row`."""
        bounds, id_starts, line_starts = self._bounds, self._id_starts, self._line_starts
        lines = self._lines.lines_of(self._line_refs[line_starts[row] : line_starts[row + 1]])
        return Invoice(
            self._ids[id_starts[row] : id_starts[row + 1]].decode(),
            customer_id,
            self._statuses[self._status[row]],
            bounds[self._starts[row]],
            bounds[self._ends[row]],
            self._cents[row],
            lines,
        )

    def totals(self, first: int, stop: int) -> list[InvoiceTotal]:
        """Each invoice's status, period end and total, for the rows `first` to `stop`."""
        statuses, status, bounds, ends, cents = (
            self._statuses,
            self._status,
            self._bounds,
            self._ends,
            self._cents,
        )
        # A customer has one or two invoices: a list made at once costs less than iterators.
        return [
            (statuses[status[row]], bounds[ends[row]], cents[row]) for row in range(first, stop)
        ]

    def lines(self, first: int, stop: int) -> list[InvoiceLineValues]:
        """Each invoice's status, period end and lines' values, for the rows `first` to `stop`."""
        statuses, status, bounds, ends = self._statuses, self._status, self._bounds, self._ends
        refs, line_starts, values = self._line_refs, self._line_starts, self._lines.values
        return [
            (
                statuses[status[row]],
                bounds[ends[row]],
                values(refs[line_starts[row] : line_starts[row + 1]]),
            )
            for row in range(first, stop)
        ]


class TabledInvoices(InvoiceColumns):
    """One customer's invoices as a range of rows of an `InvoiceTable`; equal to, and hashed
    as, the tuple of their records."""

    __slots__ = ("_customer_id", "_first", "_stop", "_table")

    def __init__(self, table: InvoiceTable, customer_id: str, first: int, stop: int) -> None:
        self._table = table
        self._customer_id = customer_id
        self._first = first
        self._stop = stop

    def __len__(self) -> int:
        return self._stop - self._first

    @overload
    def __getitem__(self, index: int) -> Invoice: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Invoice, ...]: ...

    def __getitem__(self, index: int | slice) -> Invoice | tuple[Invoice, ...]:
        rows = range(self._first, self._stop)
        if isinstance(index, slice):
            return tuple(self._table.invoice(self._customer_id, row) for row in rows[index])
        return self._table.invoice(self._customer_id, rows[index])

    def __iter__(self) -> Iterator[Invoice]:
        invoice, customer_id = self._table.invoice, self._customer_id
        return (invoice(customer_id, row) for row in range(self._first, self._stop))

    def totals(self) -> list[InvoiceTotal]:
        return self._table.totals(self._first, self._stop)

    def lines(self) -> list[InvoiceLineValues]:
        return self._table.lines(self._first, self._stop)

    def _same_rows(self, other: RecordsAsTuple[Invoice]) -> bool:
        assert isinstance(other, TabledInvoices)
        return (
            other._table is self._table
            and (other._first, other._stop) == (self._first, self._stop)
            and other._customer_id == self._customer_id
        )
