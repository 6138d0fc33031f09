"""Command palette provider: jump to any customer by name, email, Stripe id or Metronome id."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from metro_tui.view_models import CustomerRow


MAX_HITS = 20
"""A palette shows a screenful; scoring 100,000 customers per keystroke would lag typing."""


@runtime_checkable
class CustomerDirectory(Protocol):
    """What the provider needs from the app."""

    def palette_customers(self) -> Sequence[CustomerRow]: ...

    def open_customer(self, row: CustomerRow) -> None: ...


def _haystack(row: CustomerRow) -> str:
    return "\n".join(
        (row.name, row.email, row.stripe_customer_id, row.metronome_customer_id or "")
    ).casefold()


def _label(row: CustomerRow) -> str:
    return f"{row.name or row.stripe_customer_id}  ·  {row.email}" if row.email else row.name


class CustomerCommands(Provider):
    """Every customer in the account, linked or not."""

    async def startup(self) -> None:
        app = self.app
        self._rows: Sequence[CustomerRow] = (
            app.palette_customers() if isinstance(app, CustomerDirectory) else ()
        )
        self._haystacks = [_haystack(row) for row in self._rows]

    def _open(self, row: CustomerRow) -> None:
        app = self.app
        if isinstance(app, CustomerDirectory):
            app.open_customer(row)

    async def discover(self) -> Hits:
        for row in self._rows[:MAX_HITS]:
            yield DiscoveryHit(_label(row), partial(self._open, row), help=row.stripe_customer_id)

    async def search(self, query: str) -> Hits:
        needle = query.strip().casefold()
        if not needle:
            return
        matcher = self.matcher(query)
        found = 0
        for row, haystack in zip(self._rows, self._haystacks, strict=True):
            if needle not in haystack:
                continue
            label = _label(row)
            # A match on the id or email scores as a whole-word match on the label.
            score = matcher.match(label) or 0.5
            yield Hit(
                score,
                matcher.highlight(label),
                partial(self._open, row),
                text=label,
                help=f"{row.stripe_customer_id}  ·  "
                + ("Not in Metronome" if not row.linked else f"{row.metronome_customer_id}"),
            )
            found += 1
            if found == MAX_HITS:
                return
