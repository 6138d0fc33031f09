"""The cache file's format: an account snapshot as JSON lines that load fast and stream.

A 100,000-customer account is over a million records. Written as one JSON document of
objects it was 167 MB, read into memory whole, and took seconds to validate. Here:

- the first line is a small header whose first key is the format version;
- each further line holds one kind of record for a chunk of customers, every record a JSON
  array of its fields in a fixed order (no key names repeated a million times);
- contracts and invoices give their periods as indexes into a table of the account's
  distinct period bounds, written before them (a few hundred values for 200,000 invoices);
- invoices list their lines as indexes into one table of the account's distinct lines,
  written before them (over half of all lines repeat exactly: the same product for the same
  amount), and a line names its product by an index into a table of products;
- the last line holds the number of lines before it and a CRC-32 of them, so a truncated
  or altered file is told apart from a complete one.

The reader parses one line at a time, so only the records and one line are ever held, and
the thousands of invoices sharing a billing period share one datetime object.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from functools import cached_property
from typing import Any, overload

from pydantic import TypeAdapter

from metro_tui.models import (
    BillingConfiguration,
    Contract,
    Invoice,
    InvoiceLineItem,
    MetronomeCustomer,
    Product,
    RateCard,
    StripeCustomer,
    UsageDay,
    utc,
)
from metro_tui.page_records import CustomerPage
from metro_tui.sync.cache_version import SNAPSHOT_VERSION as SNAPSHOT_VERSION
from metro_tui.sync.customer_records import CUSTOMER_RECORD_KINDS
from metro_tui.sync.invoice_table import InvoiceTable
from metro_tui.sync.line_table import LineTable
from metro_tui.sync.snapshot import AccountSnapshot, LoadState

HEADER_LIMIT = 4096
"""The header line is far shorter; reading no more keeps an old one-line cache from being
read whole just to learn its version."""
CHUNK = 2000
"""Records (or customers, for per-customer records) per line."""
_VERSION = re.compile(rb'^\{"version":\s*(\d+)')
_END = "end"
_ToText = Callable[[datetime | None], str | None]


class _Adapters:
    """The validators of the snapshot's typed sections, each built when first used: building
    them takes a part of a second, which the app's first frame does not wait for (the cache
    is read after it)."""

    @cached_property
    def rate_cards(self) -> TypeAdapter[list[RateCard]]:
        return TypeAdapter(list[RateCard])

    @cached_property
    def products(self) -> TypeAdapter[list[Product]]:
        return TypeAdapter(list[Product])

    @cached_property
    def usage_days(self) -> TypeAdapter[list[UsageDay] | None]:
        return TypeAdapter(list[UsageDay] | None)

    @cached_property
    def customer_pages(self) -> TypeAdapter[list[CustomerPage]]:
        return TypeAdapter(list[CustomerPage])


_adapters = _Adapters()


class DamagedCache(ValueError):
    """The file is not a complete snapshot in this format."""


def file_version(head: bytes) -> int | None:
    """The version a cache file declares in its first bytes, or None if it declares none."""
    match = _VERSION.match(head)
    return int(match.group(1)) if match else None


def encode(snapshot: AccountSnapshot) -> Iterator[bytes]:
    """The snapshot as lines of the file, each ending with a newline."""
    yield _line({"version": SNAPSHOT_VERSION, "format": "metro-tui account snapshot"})
    checksum, count = 0, 0
    for body in _body(snapshot):
        line = _line(body)
        checksum = zlib.crc32(line, checksum)
        count += 1
        yield line
    yield _line([_END, {"lines": count, "crc32": checksum}])


def decode(lines: Iterable[bytes]) -> AccountSnapshot:
    """The snapshot from the lines after the header; raises `DamagedCache` if incomplete."""
    reader = _Reader()
    checksum, count = 0, 0
    for line in lines:
        section, *payload = _parse(line)
        if section == _END:
            if payload != [{"lines": count, "crc32": checksum}]:
                raise DamagedCache("the end line does not match the lines before it")
            reader.finished = True
            continue
        if reader.finished:
            raise DamagedCache("lines after the end line")
        checksum = zlib.crc32(line, checksum)
        count += 1
        try:
            reader.read(section, payload)
        except (KeyError, TypeError, ValueError, IndexError, OverflowError) as error:
            raise DamagedCache(f"a {section} line is not in the expected shape") from error
    if not reader.finished:
        raise DamagedCache("the file ends before its end line")
    return reader.snapshot


def _line(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode() + b"\n"


def _parse(line: bytes) -> list[Any]:
    try:
        value = json.loads(line)
    except ValueError as error:  # also UnicodeDecodeError
        raise DamagedCache("a line is not JSON") from error
    if not isinstance(value, list) or not value or not isinstance(value[0], str):
        raise DamagedCache("a line is not a section")
    return value


# Writing


def _body(snapshot: AccountSnapshot) -> Iterator[list[Any]]:
    instant = _Instants().text
    yield ["meta", _meta(snapshot, instant)]
    for chunk in _chunks(snapshot.stripe_customers):
        yield [
            "stripe_customers",
            [[c.id, c.name, c.email, instant(c.created), c.livemode] for c in chunk],
        ]
    for chunk in _chunks(snapshot.metronome_customers):
        yield [
            "metronome_customers",
            [
                [c.id, c.name, instant(c.created_at), instant(c.archived_at), c.ingest_aliases]
                for c in chunk
            ],
        ]
    for chunk in _chunks(list(snapshot.billing_configurations.items())):
        yield ["billing_configurations", [[key, _configurations(v, instant)] for key, v in chunk]]
    bounds = _period_bounds(snapshot)
    yield ["period_bounds", [instant(bound) for bound in bounds]]
    for chunk in _chunks(list(snapshot.contracts.items())):
        yield ["contracts", [[key, _contracts(value, instant, bounds)] for key, value in chunk]]
    lines = _distinct_lines(snapshot)
    products: dict[tuple[str, str | None], int] = {}
    line_table = [
        [products.setdefault((line.name, line.product_id), len(products)), line.total_cents]
        for line in lines
    ]
    yield ["line_products", [list(product) for product in products]]
    for line_chunk in _chunks(line_table):
        yield ["invoice_lines", line_chunk]
    for chunk in _chunks(list(snapshot.invoices.items())):
        yield ["invoices", [[key, _invoices(value, bounds, lines)] for key, value in chunk]]
    # A page is only stored for the few customers opened: plain JSON is small enough.
    for page_chunk in _chunks(list(snapshot.customer_pages.values())):
        pages = _adapters.customer_pages.dump_python(list(page_chunk), mode="json")
        yield ["customer_pages", pages]


def _period_bounds(snapshot: AccountSnapshot) -> dict[datetime, int]:
    """Every distinct start and end of a contract or an invoice, with its index in the file."""
    bounds: dict[datetime, int] = {}
    for contracts in snapshot.contracts.values():
        for contract in contracts:
            bounds.setdefault(contract.starting_at, len(bounds))
            if contract.ending_before is not None:
                bounds.setdefault(contract.ending_before, len(bounds))
    for invoices in snapshot.invoices.values():
        for invoice in invoices:
            bounds.setdefault(invoice.start_timestamp, len(bounds))
            bounds.setdefault(invoice.end_timestamp, len(bounds))
    return bounds


def _distinct_lines(snapshot: AccountSnapshot) -> dict[InvoiceLineItem, int]:
    """Every distinct invoice line, with its index in the table written to the file."""
    lines: dict[InvoiceLineItem, int] = {}
    for invoices in snapshot.invoices.values():
        for invoice in invoices:
            for line in invoice.line_items:
                lines.setdefault(line, len(lines))
    return lines


def _meta(snapshot: AccountSnapshot, instant: _ToText) -> Any:
    return {
        "fetched_at": instant(snapshot.fetched_at),
        "rate_cards": _adapters.rate_cards.dump_python(snapshot.rate_cards, mode="json"),
        "products": _adapters.products.dump_python(snapshot.products, mode="json"),
        "usage_days": _adapters.usage_days.dump_python(snapshot.usage_days, mode="json"),
        "failures": snapshot.failures,
        **{kind.failed_field: kind.failures(snapshot) for kind in CUSTOMER_RECORD_KINDS},
        "usage_failure": snapshot.usage_failure,
        "pricing_failure": snapshot.pricing_failure,
        "loading": None if snapshot.loading is None else _load_state(snapshot.loading),
    }


def _load_state(loading: LoadState) -> dict[str, bool]:
    return {
        "customers_listed": loading.customers_listed,
        "usage_loaded": loading.usage_loaded,
    }


def _chunks(records: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(records), CHUNK):
        yield records[start : start + CHUNK]


def _configurations(
    configurations: Iterable[BillingConfiguration], instant: _ToText
) -> list[list[Any]]:
    return [
        [c.id, c.billing_provider, c.delivery_method, c.stripe_customer_id, instant(c.archived_at)]
        for c in configurations
    ]


def _contracts(
    contracts: Iterable[Contract], instant: _ToText, bounds: dict[datetime, int]
) -> list[list[Any]]:
    return [
        [
            c.id,
            bounds[c.starting_at],
            c.name,
            c.rate_card_id,
            c.rate_card_name,
            None if c.ending_before is None else bounds[c.ending_before],
            instant(c.archived_at),
            c.product_names,
            c.uniqueness_key,
        ]
        for c in contracts
    ]


def _invoices(
    invoices: Iterable[Invoice], bounds: dict[datetime, int], lines: dict[InvoiceLineItem, int]
) -> list[list[Any]]:
    """Invoices as arrays, periods and lines as indexes into the tables written before."""
    return [
        [
            i.id,
            i.status,
            bounds[i.start_timestamp],
            bounds[i.end_timestamp],
            i.total_cents,
            [lines[item] for item in i.line_items],
        ]
        for i in invoices
    ]


class _Instants:
    """Datetimes to and from text; a value many records share is converted, and kept, once."""

    def __init__(self) -> None:
        self._texts: dict[datetime, str] = {}
        self._values: dict[str, datetime] = {}

    def text(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        text = self._texts.get(value)
        if text is None:
            text = self._texts[value] = value.isoformat()
        return text

    def shared(self, text: str) -> datetime:
        """A period bound: a few hundred values for hundreds of thousands of records."""
        value = self._values.get(text)
        if value is None:
            value = self._values[text] = utc(datetime.fromisoformat(text))
        return value

    def optional(self, text: str | None) -> datetime | None:
        return None if text is None else self.shared(text)

    @staticmethod
    def own(text: str) -> datetime:
        """A moment of its own, such as when a customer was created: nothing to share."""
        return utc(datetime.fromisoformat(text))


# Reading


class _Reader:
    """Builds a snapshot from the sections of the file, each table before its first use.

    Values that recur are shared rather than parsed into copies, which at 100,000 customers
    saves about a fifth of the snapshot's memory: customer ids and names (once per kind of
    record), the Stripe ids a Metronome customer lists as its aliases, product names and
    contract names. Invoices stay columns of one table (`InvoiceTable`) and their lines (half
    of them repeat exactly) rows of the file's table of lines (`LineTable`), made records when
    read.
    """

    def __init__(self) -> None:
        self.snapshot = AccountSnapshot()
        self.finished = False
        self._instants = _Instants()
        self._words: dict[str, str] = {}
        self._name_lists: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._bounds: list[datetime] = []
        self._line_table = LineTable()
        self._invoice_table = InvoiceTable(self._line_table)

    def read(self, section: str, payload: list[Any]) -> None:
        snapshot = self.snapshot
        if section == "meta":
            self._meta(payload[0])
        elif section == "stripe_customers":
            snapshot.stripe_customers.extend(self._stripe_customers(payload[0]))
        elif section == "metronome_customers":
            snapshot.metronome_customers.extend(self._metronome_customers(payload[0]))
        elif section == "billing_configurations":
            snapshot.billing_configurations.update(self._configurations(payload[0]))
        elif section == "period_bounds":
            self._bounds = [self._instants.shared(text) for text in payload[0]]
            self._invoice_table.name_bounds(self._bounds)
        elif section == "contracts":
            snapshot.contracts.update(self._contracts(payload[0]))
        elif section == "line_products":
            word = self._word
            self._line_table.name_products((word(name), word(id)) for name, id in payload[0])
        elif section == "invoice_lines":
            self._line_table.extend((product, cents) for product, cents in payload[0])
        elif section == "invoices":
            snapshot.invoices.update(self._invoices(payload[0]))
        elif section == "customer_pages":
            pages = _adapters.customer_pages.validate_python(payload[0])
            snapshot.customer_pages.update((page.customer_id, page) for page in pages)
        else:
            raise ValueError(f"unknown section {section!r}")

    @overload
    def _word(self, text: str) -> str: ...

    @overload
    def _word(self, text: str | None) -> str | None: ...

    def _word(self, text: str | None) -> str | None:
        """One shared string for a value that recurs across records."""
        if text is None:
            return None
        return self._words.setdefault(text, text)

    def _meta(self, meta: dict[str, Any]) -> None:
        snapshot = self.snapshot
        snapshot.fetched_at = self._instants.optional(meta["fetched_at"])
        snapshot.rate_cards = _adapters.rate_cards.validate_python(meta["rate_cards"])
        snapshot.products = _adapters.products.validate_python(meta["products"])
        snapshot.usage_days = _adapters.usage_days.validate_python(meta["usage_days"])
        snapshot.failures = [str(text) for text in meta["failures"]]
        for kind in CUSTOMER_RECORD_KINDS:
            kind.failures(snapshot).update(_texts(meta[kind.failed_field]))
        snapshot.usage_failure = _text(meta["usage_failure"])
        snapshot.pricing_failure = _text(meta["pricing_failure"])
        loading = meta["loading"]
        snapshot.loading = (
            None
            if loading is None
            else LoadState(
                customers_listed=_flag(loading["customers_listed"]),
                usage_loaded=_flag(loading["usage_loaded"]),
            )
        )

    def _stripe_customers(self, rows: list[list[Any]]) -> list[StripeCustomer]:
        own, word = self._instants.own, self._word
        return [
            StripeCustomer(word(id), word(name), email, own(created), livemode)
            for id, name, email, created, livemode in rows
        ]

    def _metronome_customers(self, rows: list[list[Any]]) -> list[MetronomeCustomer]:
        own, optional, word = self._instants.own, self._instants.optional, self._word
        return [
            MetronomeCustomer(
                word(id), word(name), own(created), optional(archived), tuple(map(word, aliases))
            )
            for id, name, created, archived, aliases in rows
        ]

    def _configurations(
        self, customers: list[list[Any]]
    ) -> Iterator[tuple[str, tuple[BillingConfiguration, ...]]]:
        for customer_id, rows in customers:
            owner = self._word(customer_id)
            yield owner, tuple(self._configuration(owner, row) for row in rows)

    def _configuration(self, customer_id: str, row: list[Any]) -> BillingConfiguration:
        id, provider, delivery, stripe_id, archived = row
        word = self._word
        return BillingConfiguration(
            id=id,
            customer_id=customer_id,
            billing_provider=word(provider),
            delivery_method=word(delivery),
            stripe_customer_id=word(stripe_id),
            archived_at=self._instants.optional(archived),
        )

    def _contracts(self, customers: list[list[Any]]) -> Iterator[tuple[str, tuple[Contract, ...]]]:
        for customer_id, rows in customers:
            owner = self._word(customer_id)
            yield owner, tuple(self._contract(owner, row) for row in rows)

    def _contract(self, customer_id: str, row: list[Any]) -> Contract:
        id, start, name, card_id, card_name, end, archived, products, key = row
        optional, word = self._instants.optional, self._word
        names = tuple(map(word, products))
        return Contract(
            id=id,
            customer_id=customer_id,
            starting_at=self._bounds[start],
            name=word(name),
            rate_card_id=word(card_id),
            rate_card_name=word(card_name),
            ending_before=None if end is None else self._bounds[end],
            archived_at=optional(archived),
            product_names=self._name_lists.setdefault(names, names),
            uniqueness_key=key,
        )

    def _invoices(self, customers: list[list[Any]]) -> Iterator[tuple[str, Sequence[Invoice]]]:
        add, word = self._invoice_table.add, self._word
        for customer_id, rows in customers:
            owner = word(customer_id)
            yield owner, add(owner, rows)


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise TypeError("expected text")


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError("expected true or false")


def _texts(value: dict[str, object]) -> dict[str, str]:
    return {str(key): str(text) for key, text in value.items()}
