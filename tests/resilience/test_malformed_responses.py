"""Malformed answers about one customer fail that customer only, never the whole sync, and
the screens say which figures could not be loaded: on that customer's row, and on the
Overview card the failure feeds."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import httpx
import pytest
from textual.app import App, ComposeResult

from metro_tui.local.server import RunningBackend
from metro_tui.models import (
    BillingConfiguration,
    Contract,
    Invoice,
    MetronomeCustomer,
    ProvisionStatus,
    StripeCustomer,
    UsageDay,
)
from metro_tui.screens.overview import OverviewPane
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.view_models import CustomerRow, customer_rows, overview_figures
from metro_tui.widgets.customer_table import CustomerTable
from metro_tui.widgets.stat_card import StatCard
from metro_tui.widgets.top_products import TopProducts
from metro_tui.widgets.usage_chart import UsageChart
from tests.resilience.accounts import NOW, shown, sync
from tests.resilience.garbling import GarblingTransport, RecordKind, Spoil

SHAPE = "the server's response was not in the expected shape"
CASES = [
    (RecordKind.INVOICES, Spoil.MISSING_FIELD, SHAPE),
    (RecordKind.INVOICES, Spoil.WRONG_TYPE, SHAPE),
    (RecordKind.INVOICES, Spoil.HTML_502, "the server failed (HTTP 502)"),
    (RecordKind.INVOICES, Spoil.NOT_JSON, SHAPE),
    (RecordKind.CONTRACTS, Spoil.MISSING_FIELD, SHAPE),
    (RecordKind.CONTRACTS, Spoil.WRONG_TYPE, SHAPE),
    (RecordKind.CONTRACTS, Spoil.HTML_502, "the server failed (HTTP 502)"),
]


def customer_with_both(snapshot: AccountSnapshot) -> str:
    """A linked customer with invoices and contracts, so spoiling either changes its row."""
    linked = {row.metronome_customer_id for row in customer_rows(snapshot, NOW) if row.linked}
    return next(
        customer.id
        for customer in snapshot.metronome_customers
        if customer.id in linked
        and snapshot.invoices[customer.id]
        and snapshot.contracts[customer.id]
    )


def without_invoices_of(snapshot: AccountSnapshot, customer_id: str) -> AccountSnapshot:
    invoices = {key: value for key, value in snapshot.invoices.items() if key != customer_id}
    return dataclasses.replace(snapshot, invoices=invoices)


def row_of(rows: list[CustomerRow], customer_id: str) -> CustomerRow:
    return next(row for row in rows if row.metronome_customer_id == customer_id)


@pytest.mark.parametrize(("kind", "spoil", "message"), CASES, ids=lambda case: str(case))
async def test_only_the_spoiled_customer_fails(
    backend: RunningBackend, kind: RecordKind, spoil: Spoil, message: str
) -> None:
    clean = await sync(backend)
    victim = customer_with_both(clean)
    transport = GarblingTransport(victim, kind, spoil)

    async with httpx.AsyncClient(transport=transport) as client:
        spoiled = await sync(backend, http_client=client, max_retries=1)

    assert transport.spoiled >= 2  # the engine asked again after the first failure
    assert spoiled.failures == [f"Could not load {kind} of customer {victim}: {message}"]
    assert victim not in getattr(spoiled, kind)
    assert getattr(spoiled, f"failed_{kind}") == {victim: message}
    overview, rows = shown(spoiled)
    clean_overview, clean_rows = shown(clean)
    others = [row for row in rows if row.metronome_customer_id != victim]
    assert others == [row for row in clean_rows if row.metronome_customer_id != victim]
    assert len(others) == len(rows) - 1
    row, clean_row = row_of(rows, victim), row_of(clean_rows, victim)
    assert row.load_error == f"{kind}: {message}"
    if kind is RecordKind.INVOICES:
        # The row has no lifetime billings rather than $0.00; its status is unaffected.
        assert (row.lifetime_billings_cents, row.billings_error) == (None, message)
        assert row.provision_status == clean_row.provision_status
        # Revenue is what the other customers' invoices add up to, flagged as incomplete.
        without_victim = shown(without_invoices_of(clean, victim))[0]
        assert overview == dataclasses.replace(without_victim, customers_missing_revenue=1)
        assert overview.total_revenue_cents < clean_overview.total_revenue_cents
        assert overview.revenue_error is None
    else:
        assert (row.provision_status, row.status_error) == (None, message)
        assert clean_row.provision_status is not None
        assert row.lifetime_billings_cents == clean_row.lifetime_billings_cents
        assert overview == clean_overview


# What the screens show, over a small account built by hand.

DAY = datetime(2026, 1, 5, tzinfo=UTC)
BROKEN = "the server failed (HTTP 502)"


def small_account(*, failed: tuple[str, ...] = ("m2",)) -> AccountSnapshot:
    """Three linked customers with $100.00 of October invoices each; `failed` lost theirs."""
    customers = ("m1", "m2", "m3")
    october_end = datetime(2026, 11, 1, tzinfo=UTC)
    return AccountSnapshot(
        fetched_at=NOW,
        stripe_customers=[
            StripeCustomer(f"cus_{key}", f"Customer {key}", None, DAY, False) for key in customers
        ],
        metronome_customers=[MetronomeCustomer(key, f"Customer {key}", DAY) for key in customers],
        billing_configurations={
            key: (BillingConfiguration(f"cfg-{key}", key, "stripe", None, f"cus_{key}"),)
            for key in customers
        },
        contracts={key: (Contract("c-" + key, key, DAY),) for key in customers},
        invoices={
            key: (Invoice(f"inv-{key}", key, "FINALIZED", DAY, october_end, 10_000),)
            for key in customers
            if key not in failed
        },
        usage_days=[UsageDay(day=NOW.date(), total=5, duplicates=1)],
        failed_invoices=dict.fromkeys(failed, BROKEN),
    )


class AccountApp(App[None]):
    """The Overview pane and the customer table, shown from one snapshot."""

    def __init__(self, snapshot: AccountSnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot

    def compose(self) -> ComposeResult:
        yield OverviewPane()
        yield CustomerTable()

    def on_mount(self) -> None:
        self.query_one(OverviewPane).show(overview_figures(self.snapshot, NOW))
        self.query_one(CustomerTable).show(customer_rows(self.snapshot, NOW))


def card(app: App[None], card_id: str) -> tuple[str, str, bool]:
    """The card's value, its detail line, and whether it is styled as an error."""
    value = app.query_one(f"#{card_id}", StatCard).value
    detail = app.query_one(f"#{card_id}", StatCard).detail
    return value, detail, app.query_one(f"#{card_id}").has_class("-error")


def table_lines(app: App[None]) -> list[str]:
    table = app.query_one(CustomerTable)
    return [table.render_line(y).text.rstrip() for y in range(1, table.row_count + 1)]


async def test_a_customer_whose_invoices_failed_says_so_on_its_row_and_the_revenue_card() -> None:
    app = AccountApp(small_account(failed=("m2",)))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        assert card(app, "total-revenue") == ("$200.00", "1 customer could not be loaded", False)
        assert app.query_one("#total-revenue").has_class("-warning")
        assert card(app, "revenue-last-month")[0] == "$200.00"
        lines = table_lines(app)
        assert [line.split()[-2:] for line in lines] == [
            ["$100.00", "Active"],
            ["load", "Active"],
            ["$100.00", "Active"],
        ]
        assert "Could not load" in lines[1]
        assert "$0.00" not in lines[1]
        assert app.query_one(CustomerTable).visible_rows[1].billings_error == BROKEN


async def test_when_every_customers_invoices_failed_the_revenue_cards_could_not_load() -> None:
    app = AccountApp(small_account(failed=("m1", "m2", "m3")))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        for card_id in ("total-revenue", "revenue-last-month"):
            assert card(app, card_id) == ("Could not load", BROKEN, True)
        assert card(app, "new-customers") == ("0", "in the last 30 days", False)
        assert str(app.query_one(TopProducts).render()) == f"Could not load: {BROKEN}"
        assert all("Could not load" in line for line in table_lines(app))


async def test_only_the_usage_chart_shows_a_usage_failure() -> None:
    snapshot = dataclasses.replace(small_account(failed=()), usage_days=None, usage_failure=BROKEN)
    app = AccountApp(snapshot)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        assert app.query_one(UsageChart).message == f"Could not load: {BROKEN}"
        assert card(app, "total-revenue") == ("$300.00", "all time", False)
        assert not app.query_one("#total-revenue").has_class("-warning")


def test_a_customer_whose_contracts_failed_has_no_status_but_says_why() -> None:
    snapshot = dataclasses.replace(
        small_account(failed=()),
        contracts={"m1": (), "m3": ()},
        failed_contracts={"m2": BROKEN},
    )
    rows = {row.metronome_customer_id: row for row in customer_rows(snapshot, NOW)}
    assert rows["m2"].provision_status is None
    assert rows["m2"].status_error == BROKEN
    assert rows["m2"].load_error == f"contracts: {BROKEN}"
    assert rows["m2"].lifetime_billings_cents == 10_000
    assert [rows[key].load_error for key in ("m1", "m3")] == [None, None]
    assert ProvisionStatus.ACTIVE not in {row.provision_status for row in rows.values()}
