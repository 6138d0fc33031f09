"""While a first load runs, no figure is shown as final before it is.

The app is watched through its own `AccountShown` messages, one per redraw from the account:
every time it shows a partial account, each figure on screen is read, and each must either be
marked (loading, or "so far" with how far the load has got) or already be the final figure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.message import Message

from metro_tui.app import AccountShown, MetroApp
from metro_tui.config import Settings
from metro_tui.customer_columns import COLUMN_BY_KEY, CustomerColumn
from metro_tui.local.config import BackendConfig
from metro_tui.local.server import RunningBackend, start_in_thread
from metro_tui.models import Contract
from metro_tui.screens.customer_detail import CustomerDetailScreen
from metro_tui.screens.diagnostics import DiagnosticsScreen
from metro_tui.screens.overview import OverviewPane
from metro_tui.sync.snapshot import LoadState
from metro_tui.view_models import customer_detail, customer_rows, overview_figures
from metro_tui.widgets.customer_table import CustomerTable
from metro_tui.widgets.identities_panel import IdentitiesPanel
from metro_tui.widgets.stat_card import StatCard
from metro_tui.widgets.top_products import TopProducts
from metro_tui.widgets.usage_chart import UsageChart, UsageLegend
from tests.conftest import TEST_TODAY, TEST_TOKEN
from tests.resilience.test_malformed_responses import small_account
from tests.ui.conftest import make_app

CARDS = ("total-revenue", "revenue-last-month", "new-customers")
LOADING = "Loading…"
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Figure:
    """One figure as drawn, and whether it is drawn as not final."""

    text: str
    marked: bool


def on_screen(app: MetroApp) -> dict[str, Figure]:
    """Every figure the Overview and the Customers table show right now."""
    shown: dict[str, Figure] = {}
    for card_id in CARDS:
        card = app.query_one(f"#{card_id}")
        value = app.query_one(f"#{card_id}", StatCard).value
        detail = app.query_one(f"#{card_id}", StatCard).detail
        shown[card_id] = Figure(f"{value} | {detail}", card.has_class("-partial"))
    top = str(app.query_one(TopProducts).render())
    shown["top-products"] = Figure(top, top.startswith("so far: ") or top == LOADING)
    chart = app.query_one(UsageChart)
    legend = chart.query_one(UsageLegend).render().plain
    shown["usage-chart"] = Figure(legend, chart.message == LOADING)
    for row in app.query_one(CustomerTable).visible_rows:
        for column in (CustomerColumn.LIFETIME_BILLINGS, CustomerColumn.PROVISION_STATUS):
            text = COLUMN_BY_KEY[column].text(row)
            shown[f"{row.stripe_customer_id} {column}"] = Figure(text, text == LOADING)
    return shown


@pytest.fixture
def slow_backend(data_file: Path) -> Iterator[RunningBackend]:
    """Every request takes 20 ms: the load is long enough to be seen part-way."""
    running = start_in_thread(
        data_file, BackendConfig(token=TEST_TOKEN, today=TEST_TODAY, latency_ms=20)
    )
    yield running
    running.stop()


async def test_a_first_load_never_shows_a_partial_figure_as_final(
    settings: Settings, data_file: Path, slow_backend: RunningBackend
) -> None:
    slow = settings.model_copy(
        update={
            "metronome_base_url": slow_backend.metronome_url,
            "stripe_api_base": slow_backend.stripe_url,
            "concurrency": 2,
        }
    )
    app = make_app(slow, data_file)
    while_loading: list[dict[str, Figure]] = []

    def watch(message: Message) -> None:
        if isinstance(message, AccountShown) and message.partial:
            while_loading.append(on_screen(app))

    async with app.run_test(size=(120, 40), message_hook=watch) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        final = on_screen(app)

    assert while_loading, "the load showed nothing before it finished"
    assert not any(figure.marked for figure in final.values())
    # The first partial account is drawn before any customer's invoices are in.
    first = while_loading[0]
    assert first["total-revenue"].marked and first["top-products"].marked
    assert first["total-revenue"].text.startswith("Loading… | so far: 0 of ")
    for shown in while_loading:
        for name, figure in shown.items():
            if not figure.marked:
                assert figure == final[name], name


class DetailApp(App[None]):
    """The customer detail of one row of a partial account."""

    def __init__(self, screen: CustomerDetailScreen) -> None:
        super().__init__()
        self._detail = screen

    def compose(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.push_screen(self._detail)


async def no_products(contract: Contract) -> tuple[str, ...]:
    return ()


async def test_a_customer_whose_invoices_are_still_loading_says_so_in_its_detail() -> None:
    partial = small_account(failed=())
    del partial.invoices["m2"]
    del partial.contracts["m2"]
    partial.loading = LoadState(customers_listed=True, usage_loaded=True)
    row = next(row for row in customer_rows(partial, NOW) if row.metronome_customer_id == "m2")
    assert (row.billings_loading, row.lifetime_billings_cents) == (True, None)
    app = DetailApp(CustomerDetailScreen(customer_detail(partial, row, NOW), no_products))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        metronome = app.screen.query_one(IdentitiesPanel).metronome.plain
    assert "Lifetime billings Loading…" in metronome
    assert "Provision status  Loading…" in metronome
    assert "$0.00" not in metronome


async def test_partial_revenue_cards_say_how_many_customers_they_cover() -> None:
    partial = small_account(failed=())
    del partial.invoices["m2"]
    partial.loading = LoadState(customers_listed=True, usage_loaded=False)
    figures = overview_figures(partial, NOW)

    class OverviewApp(App[None]):
        def compose(self) -> ComposeResult:
            yield OverviewPane()

        def on_mount(self) -> None:
            self.query_one(OverviewPane).show(figures)

    app = OverviewApp()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        for card_id in ("total-revenue", "revenue-last-month"):
            detail = app.query_one(f"#{card_id}", StatCard).detail
            assert detail == "so far: 2 of 3 customers"
            assert app.query_one(f"#{card_id}").has_class("-partial")
        assert str(app.query_one(TopProducts).render()).splitlines()[0] == (
            "so far: 2 of 3 customers"
        )
        assert app.query_one(UsageChart).message == LOADING


async def test_why_missing_waits_for_the_whole_account(settings: Settings, data_file: Path) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        snapshot = app.store.snapshot
        assert snapshot is not None
        # As on a start from a checkpoint: customers listed, none of their records in yet.
        app.store.adopt(
            dataclasses.replace(
                snapshot,
                billing_configurations={},
                contracts={},
                invoices={},
                loading=LoadState(customers_listed=True, usage_loaded=True),
            )
        )
        app.action_diagnostics()
        await pilot.pause()
        assert not isinstance(app.screen, DiagnosticsScreen)
        assert [str(n.message) for n in app._notifications] == ["The account is still loading."]
