"""Progress of a sync, per kind of record."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class RecordKind(StrEnum):
    STRIPE_CUSTOMERS = "Stripe customers"
    NEWEST_CUSTOMERS = "newest customers"
    """A first load's look-ups of the newest Stripe customers' Metronome customers."""
    METRONOME_CUSTOMERS = "Metronome customers"
    BILLING_CONFIGURATIONS = "billing configurations"
    CONTRACTS = "contracts"
    INVOICES = "invoices"
    PRICING = "rate cards and products"
    USAGE = "usage events"


@dataclass
class SyncProgress:
    """Done and total per kind; a total grows while the lists it depends on still page in."""

    done: dict[RecordKind, int] = field(default_factory=dict)
    total: dict[RecordKind, int] = field(default_factory=dict)
    finished: bool = False

    def add_total(self, kind: RecordKind, count: int) -> None:
        self.total[kind] = self.total.get(kind, 0) + count

    def add_done(self, kind: RecordKind, count: int = 1) -> None:
        self.done[kind] = self.done.get(kind, 0) + count

    @property
    def fraction(self) -> float:
        total = sum(self.total.values())
        return 1.0 if self.finished or total == 0 else min(1.0, sum(self.done.values()) / total)

    def summary(self) -> str:
        """e.g. "Loading invoices 120/300"; the first kind not yet complete."""
        if self.finished:
            return "Up to date"
        for kind, total in self.total.items():
            done = self.done.get(kind, 0)
            if done < total:
                return f"Loading {kind} {done:,}/{total:,}"
        return "Loading…"
