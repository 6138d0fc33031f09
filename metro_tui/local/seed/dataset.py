"""The deterministic demo dataset of the local backend.

`seed_database` fills an empty data file with believable B2B SaaS customers in Stripe and
Metronome, their contracts, invoices and usage events, all dated relative to `today`, and
identical for the same (seed, customers, today). It plants the broken links the
troubleshooting views exist to find, and lists them in its summary.
"""

from __future__ import annotations

import gc
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

from metro_tui.local import clock
from metro_tui.local.db import USAGE_EVENT_INDEXES, Database
from metro_tui.local.metronome.usage_store import UsageWriter
from metro_tui.local.seed.customers import ARCHIVED, DANGLING, UNCONFIGURED
from metro_tui.local.seed.data_file import new_data_file
from metro_tui.local.seed.day_store import DayStore
from metro_tui.local.seed.drawdowns import draw_down
from metro_tui.local.seed.draws import stream
from metro_tui.local.seed.invoices import (
    DRAFT,
    FINALIZED,
    VOID,
    Invoice,
    contract_invoices,
    history_start,
)
from metro_tui.local.seed.plan import DatasetPlan, plan_dataset
from metro_tui.local.seed.purchases import commit_purchases
from metro_tui.local.seed.usage import HISTORY_DAYS
from metro_tui.local.seed.usage_days import DayOfUsageRows, usage_days
from metro_tui.local.seed.writes import (
    product_documents,
    write_catalog,
    write_contracts,
    write_invoices,
    write_metronome_customers,
    write_stripe_customers,
)

MIN_CUSTOMERS = 10  # below this not every planted case fits
CHUNK = 2_000  # records per transaction: few commits, yet a bounded write-ahead log
DATA_TABLES = (
    "meta",
    "customers",
    "billing_configurations",
    "products",
    "rate_cards",
    "contracts",
    "invoices",
    "usage_events",
    "stripe_customers",
)

Progress = Callable[[str, int, int], None]
T = TypeVar("T")


@dataclass(frozen=True)
class SeedOptions:
    seed: int = 42
    customers: int = 150  # number of Stripe customers
    today: str | None = None  # YYYY-MM-DD; None = today's UTC date


@dataclass(frozen=True)
class SeedSummary:
    """What was created, and the ids the troubleshooting views must find."""

    today: str
    counts: dict[str, int]
    # Stripe customers not linked: not in Metronome, or linked only by an archived config.
    unlinked_stripe_customer_ids: tuple[str, ...]
    # Metronome customers whose Stripe configuration names a Stripe customer that is missing.
    dangling_link_customer_ids: tuple[str, ...]
    unconfigured_customer_ids: tuple[str, ...]  # Metronome customers without billing config
    # Metronome customers whose only Stripe configuration is archived (so not linked).
    archived_link_customer_ids: tuple[str, ...]
    new_customer_ids: tuple[str, ...]  # Metronome customers created in the last 30 days
    # Metronome customer id -> provision status today ("" when none applies).
    provision_statuses: dict[str, str] = field(repr=False)
    # The customer whose contract has a discount, a subscription, a partly used prepaid
    # commit, a fully used credit and an expired one (`showcase`).
    showcase_customer_id: str | None = None

    def __str__(self) -> str:
        c = self.counts
        return (
            f"{c['stripe_customers']:,} Stripe customers "
            f"({len(self.unlinked_stripe_customer_ids):,} not linked), "
            f"{c['customers']:,} Metronome customers, {c['contracts']:,} contracts, "
            f"{c['invoices']:,} invoices, {c['usage_events']:,} usage events "
            f"(today {self.today})"
        )


def seed_database(
    path: Path, options: SeedOptions, progress: Progress | None = None
) -> SeedSummary:
    """Seed the empty data file at `path`; ValueError if it already holds data."""
    if options.customers < MIN_CUSTOMERS:
        raise ValueError(f"the demo dataset needs at least {MIN_CUSTOMERS} customers")
    today = options.today or datetime.now(UTC).date().isoformat()
    report = progress or (lambda stage, done, total: None)
    if not _is_empty(path):
        raise ValueError(f"{path} already holds data; seed only an empty data file")
    # Nothing seeded is cyclic, so the cyclic collector would only rescan the growing plan.
    collecting = gc.isenabled()
    gc.disable()
    try:
        plan = plan_dataset(options.seed, options.customers, clock.now(today))
        with new_data_file(path) as db:
            counts = _write(db, plan, report)
            with db.transaction() as conn:
                for key, value in (
                    ("seed", options.seed),
                    ("customers", options.customers),
                    ("today", today),
                ):
                    db.set_meta(conn, key, str(value))
    finally:
        if collecting:
            gc.enable()
    return _summary(plan, today, counts)


def _is_empty(path: Path) -> bool:
    if not path.exists():  # as `local reset` leaves it: nothing to open, nor to create
        return True
    db = Database(path)
    try:
        return all(db.query_one(f"SELECT 1 FROM {table} LIMIT 1") is None for table in DATA_TABLES)
    finally:
        db.close()


def _write(db: Database, plan: DatasetPlan, report: Progress) -> Counter[str]:
    customers = plan.customers
    with db.transaction() as conn:
        write_catalog(conn, plan.catalog)
    report("catalog", 1, 1)
    _in_chunks(db, "Stripe customers", customers.stripe, write_stripe_customers, report)
    _in_chunks(db, "Metronome customers", customers.metronome, write_metronome_customers, report)
    counts = Counter(
        {
            "stripe_customers": len(customers.stripe),
            "customers": len(customers.metronome),
            "billing_configurations": sum(1 for c in customers.metronome if c.config_id),
            "products": len(plan.catalog.products),
            "rate_cards": len(plan.catalog.rate_cards),
            "contracts": len(plan.contracts),
        }
    )
    # The seed made every event itself, so none needs the endpoint's validation, and one
    # writer remembers every transaction id across the batches. Once it knows every customer
    # an event can name, the events can be drawn elsewhere while the rest is written.
    writer = UsageWriter()
    writer.know_customers(db.conn, {contract.customer.id for contract in plan.contracts})
    with usage_days(plan, writer) as days:
        _in_chunks(db, "contracts", plan.contracts, write_contracts, report)
        counts.update(_write_invoices(db, plan, report))
        counts.update(_write_usage(db, days, report))
    return counts


def _in_chunks(
    db: Database,
    stage: str,
    items: Sequence[T],
    write: Callable[[sqlite3.Connection, Iterable[T]], None],
    report: Progress,
) -> None:
    for start in range(0, len(items), CHUNK):
        with db.transaction() as conn:
            write(conn, items[start : start + CHUNK])
        report(stage, min(start + CHUNK, len(items)), len(items))


def _write_invoices(db: Database, plan: DatasetPlan, report: Progress) -> Counter[str]:
    """The invoices of each chunk of contracts, drawn in order and stored in one statement."""
    rng = stream(plan.seed, "invoices")
    first_month = history_start(plan.now, len(plan.customers.metronome))
    by_status: Counter[str] = Counter({FINALIZED: 0, DRAFT: 0, VOID: 0})
    contracts = plan.contracts
    products = product_documents(db.conn)
    product_names = {product.id: product.name for product in plan.catalog.products.values()}
    for start in range(0, len(contracts), CHUNK):
        invoices: list[Invoice] = []
        for contract in contracts[start : start + CHUNK]:
            # The first contract with a finished month gets a VOID invoice, so one exists.
            drawn = draw_down(
                contract,
                contract_invoices(
                    rng, contract, plan.now, first_month, force_void=by_status[VOID] == 0
                ),
                plan.now,
            )
            # What the customer pays for its prepaid commits: no commit or credit covers it.
            drawn += commit_purchases(contract, plan.now, first_month, product_names)
            by_status.update(invoice.status for invoice in drawn)
            invoices.extend(drawn)
        with db.transaction() as conn:
            write_invoices(conn, invoices, products)
        report("invoices", min(start + CHUNK, len(contracts)), len(contracts))
    counts = Counter({f"invoices_{status.lower()}": n for status, n in by_status.items()})
    counts["invoices"] = sum(by_status.values())
    return counts


def _write_usage(db: Database, days: Iterable[DayOfUsageRows], report: Progress) -> Counter[str]:
    """A transaction per day of hourly ingest batches, stored as the ingest endpoint stores
    them, while the next day is drawn."""
    counts: Counter[str] = Counter(usage_events=0, duplicate_usage_events=0, resent_usage_events=0)
    with DayStore(db, first=USAGE_EVENT_INDEXES) as store:
        for day in days:
            counts.update(day.counts)
            store.store(day.rows, partial(report, "usage events", day.number, HISTORY_DAYS))
    return counts


def _summary(plan: DatasetPlan, today: str, counts: Counter[str]) -> SeedSummary:
    def linked_as(link: str) -> tuple[str, ...]:
        return tuple(c.id for c in plan.customers.metronome if c.link == link)

    return SeedSummary(
        today=today,
        counts=dict(counts),
        unlinked_stripe_customer_ids=tuple(plan.customers.unlinked_stripe_ids),
        dangling_link_customer_ids=linked_as(DANGLING),
        unconfigured_customer_ids=linked_as(UNCONFIGURED),
        archived_link_customer_ids=linked_as(ARCHIVED),
        new_customer_ids=tuple(plan.new_customer_ids()),
        provision_statuses=dict(plan.provision_statuses),
        showcase_customer_id=plan.showcase_customer_id,
    )
