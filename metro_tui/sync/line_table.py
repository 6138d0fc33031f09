"""Invoice lines as a snapshot read from the cache keeps them: rows of one table of the
account's distinct lines, each invoice holding the indexes of its own.

At 100,000 customers an account has 670,000 invoice lines, 317,000 of them distinct. Kept as
one `InvoiceLineItem` per distinct line (a tuple, and for most an int of its own) and a tuple
of them per invoice, they took 32 MB; kept as the table's columns in arrays and each
invoice's indexes packed in bytes, about 16 MB. A line is made a record again only when it is
read: by the top products and when the cache is written, never by the Customers table.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from typing import Final, Literal, overload

from metro_tui.invoice_columns import InvoiceLines, LineValues, RecordsAsTuple
from metro_tui.models import InvoiceLineItem

_REF: Final[Literal["I"]] = "I"
"""An index into the table: the file's tables stay far below 2**32 lines."""
_REF_BYTES = array(_REF).itemsize
_record = partial(tuple.__new__, InvoiceLineItem)
"""A record from its values, as `InvoiceLineItem._make` without its check of their number:
the values come from the table, always three."""


class LineTable:
    """The distinct invoice lines of one snapshot: a product (by index into the products,
    each a name and a product id) and an amount of cents per line."""

    __slots__ = ("_cents", "_product_of", "_products")

    def __init__(self) -> None:
        self._products: list[tuple[str, str | None]] = []
        self._product_of = array("I")
        self._cents = array("q")

    def __len__(self) -> int:
        return len(self._cents)

    def name_products(self, products: Iterable[tuple[str, str | None]]) -> None:
        """The products the lines name, by index: (the line's name, its product id)."""
        self._products = list(products)

    def extend(self, rows: Iterable[tuple[int, int]]) -> None:
        """Add lines, each (index of its product, amount of cents); an index that names no
        product raises `IndexError`."""
        named = len(self._products)
        for product, cents in rows:
            if not 0 <= product < named:
                raise IndexError(f"line product {product} of {named}")
            self._product_of.append(product)
            self._cents.append(cents)

    def line(self, ref: int) -> InvoiceLineItem:
        name, product_id = self._products[self._product_of[ref]]
        return InvoiceLineItem(name, product_id, self._cents[ref])

    def values(self, refs: Iterable[int]) -> Iterator[LineValues]:
        """The values of the lines at `refs`, in one loop: the top products read every line
        of the account (670,000 at 100,000 customers)."""
        products, product_of, cents = self._products, self._product_of, self._cents
        for ref in refs:
            name, product_id = products[product_of[ref]]
            yield name, product_id, cents[ref]

    def lines_of(self, refs: Iterable[int]) -> Sequence[InvoiceLineItem]:
        """An invoice's lines from their indexes; an index past the table raises `IndexError`."""
        packed = array(_REF, refs)
        if not packed:
            return ()
        if max(packed) >= len(self._cents):
            raise IndexError(f"invoice line {max(packed)} of {len(self._cents)}")
        return TabledLines(self, packed.tobytes())


class TabledLines(InvoiceLines):
    """One invoice's lines as indexes into a `LineTable`; equal to the tuple of its records.

    The indexes are bytes rather than an array or a tuple: 33 bytes plus 4 a line, against
    64 or 40 plus 8, for 122,000 invoices at 100,000 customers.
    """

    __slots__ = ("_refs", "_table")

    def __init__(self, table: LineTable, refs: bytes) -> None:
        self._table = table
        self._refs = refs

    def _indexes(self) -> memoryview[int]:
        return memoryview(self._refs).cast(_REF)

    def __len__(self) -> int:
        return len(self._refs) // _REF_BYTES

    @overload
    def __getitem__(self, index: int) -> InvoiceLineItem: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[InvoiceLineItem, ...]: ...

    def __getitem__(self, index: int | slice) -> InvoiceLineItem | tuple[InvoiceLineItem, ...]:
        if isinstance(index, slice):
            return tuple(map(self._table.line, self._indexes()[index]))
        return self._table.line(self._indexes()[index])

    def __iter__(self) -> Iterator[InvoiceLineItem]:
        return map(_record, self.line_values())

    def line_values(self) -> Iterator[LineValues]:
        return self._table.values(self._indexes())

    def _same_rows(self, other: RecordsAsTuple[InvoiceLineItem]) -> bool:
        # The same indexes of one table are the same lines; other indexes may still name
        # equal lines (a table read from a file need not be distinct), so those are compared.
        assert isinstance(other, TabledLines)
        return other._table is self._table and other._refs == self._refs
