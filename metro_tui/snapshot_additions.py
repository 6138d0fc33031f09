"""What a first load added to its snapshot since it was last read.

A first load appends Stripe and Metronome customers to the snapshot's lists and adds a key per
customer to each map of records (each added last, as dicts keep them); what a partial result
shows is kept up by reading only those. Each read checks that what was read is still there, in
its place, and equal (on a load the same objects, compared at C speed): when it is not
(records replaced or removed, a list replaced by another), there is no addition to tell, and
the reader starts again from nothing, so nothing gone is ever shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from metro_tui.models import MetronomeCustomer, StripeCustomer
from metro_tui.sync.snapshot import AccountSnapshot

T = TypeVar("T", bound=Hashable)


class _GrowingList(Generic[T]):
    """The items already read of a list that is only appended to."""

    def __init__(self) -> None:
        self._read: list[T] = []

    def new(self, items: Sequence[T]) -> list[T] | None:
        """The items after those read, or None when `items` does not start with them."""
        read = self._read
        if len(items) < len(read) or list(items[: len(read)]) != read:
            return None
        new = list(items[len(read) :])
        read.extend(new)
        return new

    def new_members(self, items: Sequence[T]) -> list[T] | None:
        """The items not read yet, in any order, or None when one read is no longer there
        (for a list whose order nothing read depends on)."""
        read, present = Counter(self._read), Counter(items)
        if not read <= present:
            return None
        self._read = list(items)
        return list((present - read).elements())


class _GrowingMap:
    """The keys already read of a map that only gains keys, with the value each had."""

    def __init__(self) -> None:
        self._keys: list[str] = []
        self._values: list[object] = []

    def new(self, mapping: Mapping[str, object]) -> list[str] | None:
        """The keys added since the last read, or None when a key read is gone or moved, or
        its value is no longer the one read."""
        read = len(self._keys)
        keys = list(mapping)
        if keys[:read] != self._keys or list(mapping.values())[:read] != self._values:
            return None
        new = keys[read:]
        self._keys.extend(new)
        self._values.extend(mapping[key] for key in new)
        return new


@dataclass(frozen=True, slots=True)
class Additions:
    """What was added to a snapshot since it was last read: records, and per-customer keys."""

    stripe_customers: list[StripeCustomer]
    metronome_customers: list[MetronomeCustomer]
    """In no set order: the list may have been listed again whole."""
    billing_configurations: list[str]
    contracts: list[str]
    invoices: list[str]
    failed_contracts: list[str]
    failed_invoices: list[str]
    completed: bool
    """The load has just completed."""


class AdditionsReader:
    """Reads one load's snapshot as it grows; `read` tells what is new since the last read."""

    def __init__(self) -> None:
        self._stripe_customers = _GrowingList[StripeCustomer]()
        self._metronome_customers = _GrowingList[MetronomeCustomer]()
        self._maps = [_GrowingMap() for _ in range(5)]
        self._complete = False

    def read(self, snapshot: AccountSnapshot) -> Additions | None:
        """What was added since the last read; None when `snapshot` is not what was read
        plus more (then the caller starts again, with a new reader)."""
        stripe_customers = self._stripe_customers.new(snapshot.stripe_customers)
        listed = snapshot.metronome_customers
        metronome_customers = self._metronome_customers.new(listed)
        if metronome_customers is None and len({c.id for c in listed}) == len(listed):
            # Listed again whole, in the API's order (with the list's own record of a customer
            # a look-up found first, equal to it): with each customer named once, nothing read
            # depends on the order, but with an id named twice the last one is the live one.
            metronome_customers = self._metronome_customers.new_members(listed)
        maps: tuple[Mapping[str, object], ...] = (
            snapshot.billing_configurations,
            snapshot.contracts,
            snapshot.invoices,
            snapshot.failed_contracts,
            snapshot.failed_invoices,
        )
        keys = [growing.new(records) for growing, records in zip(self._maps, maps, strict=True)]
        if (
            stripe_customers is None
            or metronome_customers is None
            or (self._complete and not snapshot.complete)
        ):
            return None
        configurations, contracts, invoices, failed_contracts, failed_invoices = keys
        if (
            configurations is None
            or contracts is None
            or invoices is None
            or failed_contracts is None
            or failed_invoices is None
        ):
            return None
        completed = snapshot.complete and not self._complete
        self._complete = snapshot.complete
        return Additions(
            stripe_customers,
            metronome_customers,
            configurations,
            contracts,
            invoices,
            failed_contracts,
            failed_invoices,
            completed,
        )
