"""Invoices and invoice lines kept otherwise than as tuples of records, and the values the
figures read of them without a record made.

The cache keeps a snapshot's invoices in columns (`sync/invoice_table.py`) and their lines as
rows of one table (`sync/line_table.py`). The revenue figures, the lifetime billings and the
top products read every invoice of the account (122,000 at 100,000 customers, with 670,000
lines), so they ask for these values; a record is made only where one invoice is read. This
module imports nothing but the standard library: the services that check for these classes
are imported before the first frame, and the domain models (pydantic) after it.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    # Named as strings in the base classes below, which linters do not read as uses.
    from metro_tui.models import Invoice, InvoiceLineItem  # noqa: F401

LineValues = tuple[str, str | None, int]
"""A line's name, product id and cents: the values of an `InvoiceLineItem`, in its order."""

InvoiceTotal = tuple[str, datetime, int]
"""An invoice's status, billing period end and total cents: what the revenue figures read."""

InvoiceLineValues = tuple[str, datetime, Iterable[LineValues]]
"""An invoice's status, billing period end and its lines' values: what the top products read."""


Record = TypeVar("Record")


class RecordsAsTuple(Sequence[Record]):
    """Records kept otherwise than as a tuple, equal to the tuple of them, hashing and
    printing as it: a snapshot compares the same however it keeps them."""

    __slots__ = ()

    def _same_rows(self, other: RecordsAsTuple[Record]) -> bool:
        """Whether `other`, of this class, keeps the very rows of the very table this does:
        equal without a record read."""
        return False

    def __eq__(self, other: object) -> bool:
        if isinstance(other, type(self)) and self._same_rows(other):
            return True
        if isinstance(other, RecordsAsTuple | tuple):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))


class InvoiceLines(RecordsAsTuple["InvoiceLineItem"]):
    """An invoice's lines kept otherwise than as a tuple of records: a record is made for each
    line read, and `line_values` gives the values without one, for sums over every line of an
    account."""

    __slots__ = ()

    @abstractmethod
    def line_values(self) -> Iterator[LineValues]:
        """Each line's values, in order."""


class InvoiceColumns(RecordsAsTuple["Invoice"]):
    """One customer's invoices kept otherwise than as a tuple of records: a record is made for
    each invoice read, and `totals` and `lines` give what the figures read without one."""

    __slots__ = ()

    @abstractmethod
    def totals(self) -> Iterable[InvoiceTotal]:
        """Each invoice's status, period end and total, in order."""

    @abstractmethod
    def lines(self) -> Iterable[InvoiceLineValues]:
        """Each invoice's status, period end and lines' values, in order."""
