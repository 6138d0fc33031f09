"""The Overview tab: revenue cards, top products, the usage chart and links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label

from metro_tui.links import MetronomePage
from metro_tui.screens.account_feed import (
    follow_account,
    follow_first_paint,
    follow_load_failure,
)
from metro_tui.services.money import format_cents
from metro_tui.widgets.stat_card import LOADING, StatCard
from metro_tui.widgets.top_products import TopProducts
from metro_tui.widgets.usage_chart import UsageChart

if TYPE_CHECKING:
    from metro_tui.services.revenue import RevenueChange
    from metro_tui.view_models import OverviewFigures


def change_text(change: RevenueChange) -> str:
    """Two short lines, e.g. "▲ 12.5% vs month before" and "+$1,234.00"."""
    sign = "+" if change.change_cents >= 0 else "-"
    arrow = "▲" if change.change_cents > 0 else "▼" if change.change_cents < 0 else "="
    amount = f"{sign}{format_cents(abs(change.change_cents))}"
    if change.change_percent is None:
        return f"{arrow} none the month before\n{amount}"
    return f"{arrow} {abs(change.change_percent):.1f}% vs month before\n{amount}"


def missing_text(customers: int) -> str | None:
    """The warning on an incomplete revenue figure, e.g. "3 customers could not be loaded"."""
    if customers == 0:
        return None
    noun = "customer" if customers == 1 else "customers"
    return f"{customers:,} {noun} could not be loaded"


def _page_link(page: MetronomePage, text: str) -> str:
    """`text` as a link that opens `page`: the page is typed, so the action gets what it takes."""
    return f"[@click=app.open_link('{page}')]{text}[/]"


class OverviewPane(Vertical):
    """Shows the account's `OverviewFigures`; every card says "Loading…" until figures arrive,
    and a figure that is still a partial sum says so, with how far the load has got."""

    # The cards are cells of the pane's grid rather than children of a row of their own: one
    # widget fewer to compose, style and lay out before the first frame. The lower row stays a
    # Horizontal, which lets the usage chart (taller than that row at 80x24) run on past it as
    # before; a grid cell would cut it to the row's height.
    DEFAULT_CSS = """
    OverviewPane {
        layout: grid;
        grid-size: 3;
        grid-columns: 1fr;
        grid-rows: 7 1fr 1;
        padding: 0 1;
    }
    OverviewPane #lower { height: 1fr; column-span: 3; }
    OverviewPane TopProducts { width: 1fr; }
    OverviewPane UsageChart { width: 1fr; }
    OverviewPane #links { height: 1; column-span: 3; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield StatCard("Total revenue", id="total-revenue", sparkline_caption="Last 12 months")
        yield StatCard("Revenue last month", id="revenue-last-month")
        yield StatCard("New customers", id="new-customers")
        with Horizontal(id="lower"):
            yield TopProducts(id="top-products")
            yield UsageChart(id="usage-chart")
        yield Label(
            f"{_page_link('app', 'Open Metronome')}  ·  "
            f"{_page_link('docs', 'Metronome documentation')}  (o / d)",
            id="links",
        )

    def on_mount(self) -> None:
        follow_first_paint(self, lambda paint: self.show(paint.overview))
        follow_account(self, lambda account: self.show(account.overview))
        follow_load_failure(self, self.show_error)

    def show(self, figures: OverviewFigures) -> None:
        """The figures; a card whose figure could not be loaded says so, and only that card."""
        self.query_one("#new-customers", StatCard).show(
            f"{figures.new_customers:,}",
            "in the last 30 days",
            so_far="so far: still listing customers" if figures.listing_customers else None,
        )
        if figures.revenue_error is not None:
            for card in self.query("#total-revenue, #revenue-last-month").results(StatCard):
                card.show_error(figures.revenue_error)
            self.query_one(TopProducts).show_error(figures.revenue_error)
        else:
            self._show_revenue(figures)
        if figures.usage_error is not None:
            self.query_one(UsageChart).show_error(figures.usage_error)
        elif not figures.usage_loading:
            # Until the counts arrive the chart keeps saying "Loading…".
            self.query_one(UsageChart).show(figures.usage_events)

    def _show_revenue(self, figures: OverviewFigures) -> None:
        """The total is all time; the sparkline under it, the last 12 months by month.

        While some customers' invoices are still loading, every revenue figure is a partial
        sum: each says "so far" and how many customers it covers.
        """
        share = figures.revenue_so_far
        so_far = share.text if share is not None else None
        # A sum of no customer at all is no figure yet.
        nothing_yet = share is not None and share.customers_loaded == 0
        total, last_month = (
            self.query_one(f"#{name}", StatCard) for name in ("total-revenue", "revenue-last-month")
        )
        total.show(
            LOADING if nothing_yet else format_cents(figures.total_revenue_cents),
            "all time",
            [month.amount_cents for month in figures.revenue_by_month],
            warning=missing_text(figures.customers_missing_revenue),
            so_far=so_far,
        )
        change = figures.revenue_last_month
        last_month.show(
            LOADING if nothing_yet else format_cents(change.last_month_cents),
            change_text(change),
            so_far=so_far,
        )
        self.query_one(TopProducts).show(figures.top_products, so_far=so_far)

    def show_error(self, message: str) -> None:
        for card in self.query(StatCard):
            card.show_error(message)
        self.query_one(TopProducts).show_error(message)
        self.query_one(UsageChart).show_error(message)
