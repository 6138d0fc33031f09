"""What was already read of a list or a map that a first load only adds to.

A first load appends Stripe and Metronome customers to the snapshot's lists and adds a key per
customer to each map of records; what a partial result shows is kept up by reading only those.
Reading checks, at C speed, that what was read is still there, unchanged and in its place: if
it is not (records replaced or removed, a list replaced), the caller starts again from nothing
rather than keep what is gone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import islice
from operator import is_
from typing import Generic, TypeVar

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")


class GrowingList(Generic[T]):
    """The items already read of a list that is only appended to."""

    def __init__(self) -> None:
        self._read: list[T] = []

    def new(self, items: Sequence[T]) -> Sequence[T] | None:
        """The items after those read, or None when `items` does not start with them."""
        read = self._read
        if len(items) < len(read) or not all(map(is_, read, items)):
            return None
        new = items[len(read) :]
        read.extend(new)
        return new

    def new_members(self, items: Sequence[T]) -> Sequence[T] | None:
        """The items not read yet, in any order, or None when one read is no longer there.

        For a list whose order nothing depends on: the Metronome customers, listed again in
        the API's order once the list is whole.
        """
        new = self.new(items)
        if new is not None:
            return new
        read = {id(item) for item in self._read}
        present = {id(item) for item in items}
        if len(read) != len(self._read) or len(present) != len(items) or not read <= present:
            return None
        new = [item for item in items if id(item) not in read]
        self._read = list(items)
        return new


class GrowingMap(Generic[K, V]):
    """The keys already read of a map that only gains keys (each added last, as dicts keep
    them), with the value each had."""

    def __init__(self) -> None:
        self._keys: list[K] = []
        self._values: list[V] = []

    def new(self, mapping: Mapping[K, V]) -> list[K] | None:
        """The keys added since the last read, or None when a key read is gone or its value
        is another object."""
        read = len(self._keys)
        if len(mapping) < read or (
            read
            and (
                list(islice(mapping, read)) != self._keys
                or not all(map(is_, islice(mapping.values(), read), self._values))
            )
        ):
            return None
        keys = list(islice(mapping, read, None))
        self._keys.extend(keys)
        self._values.extend(mapping[key] for key in keys)
        return keys
