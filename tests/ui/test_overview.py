"""The Overview tab shows exactly the figures the seeded data file holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.app import App, ComposeResult

from metro_tui.config import Settings
from metro_tui.screens.overview import OverviewPane
from metro_tui.services.money import format_cents
from metro_tui.services.products import ProductRevenue
from metro_tui.services.revenue import MonthRevenue, RevenueChange
from metro_tui.view_models import OverviewFigures
from metro_tui.widgets.stat_card import StatCard
from metro_tui.widgets.top_products import TopProducts
from tests.ui.conftest import make_app
from tests.ui.screen_text import widget_lines
from tests.ui.seed_facts import (
    finalized_by_month,
    finalized_total,
    new_metronome_customers,
    product_totals,
)

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def _card(app: object, card_id: str) -> tuple[str, str]:
    card = app.query_one(f"#{card_id}", StatCard)  # type: ignore[attr-defined]
    return card.value, card.detail


async def test_cards_and_top_products_match_the_data_file(
    settings: Settings, data_file: Path
) -> None:
    october = finalized_by_month(data_file, 2026, 10)
    september = finalized_by_month(data_file, 2026, 9)
    change = october - september
    products = sorted(product_totals(data_file).items(), key=lambda item: (-item[1], item[0]))
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        value, detail = _card(app, "revenue-last-month")
        assert value == format_cents(october)
        arrow = "▲" if change > 0 else "▼"
        sign = "+" if change > 0 else "-"
        assert detail == (
            f"{arrow} {abs(change) * 100 / september:.1f}% vs month before\n"
            f"{sign}{format_cents(abs(change))}"
        )
        value, _ = _card(app, "new-customers")
        assert value == str(new_metronome_customers(data_file, NOW - timedelta(days=30), NOW))

        top = app.query_one(TopProducts)
        shown = [(row.name, row.amount_cents) for row in top.products]
        other = sum(amount for _, amount in products[5:])
        assert shown == [*products[:5], ("Other", other)]


class _OverviewHarness(App[None]):
    def compose(self) -> ComposeResult:
        yield OverviewPane()


def _figures(*, last_month_cents: int, previous_month_cents: int) -> OverviewFigures:
    change = last_month_cents - previous_month_cents
    return OverviewFigures(
        total_revenue_cents=71_550_111,
        revenue_last_month=RevenueChange(
            last_month_cents=last_month_cents,
            previous_month_cents=previous_month_cents,
            change_cents=change,
            change_percent=change * 100 / previous_month_cents,
        ),
        revenue_by_month=[
            MonthRevenue(f"2026-{month:02d}", month * 100_000) for month in range(1, 13)
        ],
        new_customers=4,
        top_products=[ProductRevenue("Seats", 100_000, 1.0)],
        usage_events=None,
    )


async def test_revenue_change_wraps_at_a_word_in_80_columns() -> None:
    """At 80 columns the change line is wider than its card: it wraps, never cut mid-word."""
    app = _OverviewHarness()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(OverviewPane)
        pane.show(_figures(last_month_cents=711_000, previous_month_cents=600_000))
        await pilot.pause()
        card = app.query_one("#revenue-last-month")
        assert widget_lines(app, card)[:4] == [
            "$7,110.00",
            "▲ 18.5% vs month",
            "before",
            "+$1,110.00",
        ]


async def test_total_revenue_is_all_time_and_its_sparkline_the_last_12_months(
    settings: Settings, data_file: Path
) -> None:
    # The 12 calendar months ending with the previous one: November 2025 to October 2026.
    months = [(2025, 11), (2025, 12), *((2026, month) for month in range(1, 11))]
    by_month = [finalized_by_month(data_file, year, month) for year, month in months]
    all_time = finalized_total(data_file)
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _card(app, "total-revenue") == (format_cents(all_time), "all time")
        card = app.query_one("#total-revenue", StatCard)
        assert card.caption == "Last 12 months"
        assert list(card.series) == by_month
    # The all-time total is more than the 12 months the sparkline covers: the seed bills
    # from earlier, so reading one for the other would be wrong.
    assert all_time > sum(by_month)


async def test_each_card_is_one_widget_that_draws_its_own_lines() -> None:
    """A card is drawn by one widget, not a container of labels and a sparkline: its value,
    detail, caption and the 12 months' bars, the latest (and highest) month a full bar."""
    app = _OverviewHarness()
    async with app.run_test(size=(120, 30)) as pilot:
        app.query_one(OverviewPane).show(
            _figures(last_month_cents=711_000, previous_month_cents=600_000)
        )
        await pilot.pause()
        for card in app.query(StatCard):
            assert list(card.query("*")) == []
        total = app.query_one("#total-revenue", StatCard)
        lines = widget_lines(app, total)
        assert lines[:3] == ["$715,501.11", "all time", "Last 12 months"]
        upper, lower = lines[3:5]
        width = total.content_region.width
        assert len(lower) == width
        assert set(upper + lower) <= set(" ▁▂▃▄▅▆▇█")
        assert (upper[-1], lower[-1]) == ("█", "█")
        assert upper[0] == " "
        new_customers = app.query_one("#new-customers", StatCard)
        assert widget_lines(app, new_customers) == ["4", "in the last 30 days", "", "", ""]


async def test_the_cards_are_cells_of_the_overview_itself_side_by_side() -> None:
    """No row container around the three cards (one widget fewer before the first frame):
    they are the pane's own children, still side by side across its width, above the lower
    row and the links."""
    app = _OverviewHarness()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(OverviewPane)
        await pilot.pause()
        assert [child.id for child in pane.children] == [
            "total-revenue",
            "revenue-last-month",
            "new-customers",
            "lower",
            "links",
        ]
        cards = [
            app.query_one(f"#{name}", StatCard)
            for name in ("total-revenue", "revenue-last-month", "new-customers")
        ]
        assert [(card.region.x, card.region.y, card.region.width) for card in cards] == [
            (1, 0, 26),
            (27, 0, 26),
            (53, 0, 26),
        ]
        assert all(card.region.height == 7 for card in cards)
        assert app.query_one("#lower").region.y == 7


class _TopProductsHarness(App[None]):
    def compose(self) -> ComposeResult:
        yield TopProducts()


async def test_top_products_on_as_many_lines_are_repainted_without_a_layout() -> None:
    """A partial ranking every quarter second repaints the card where it is; a ranking with
    a line more or fewer lays the screen out again."""
    app = _TopProductsHarness()
    async with app.run_test(size=(80, 24)) as pilot:
        top = app.query_one(TopProducts)
        top.show(
            [ProductRevenue("API calls", 30_000, 0.75), ProductRevenue("Seats", 10_000, 0.25)],
            so_far="so far: 1 of 3 customers",
        )
        await pilot.pause()
        before = top._layout_updates
        top.show(
            [ProductRevenue("API calls", 60_000, 0.6), ProductRevenue("Seats", 40_000, 0.4)],
            so_far="so far: 2 of 3 customers",
        )
        await pilot.pause()
        lines = widget_lines(app, top)
        assert lines[0] == "so far: 2 of 3 customers"
        assert [(line.split()[0], line.split()[-2:]) for line in lines[1:3]] == [
            ("API", ["$600.00", "60%"]),
            ("Seats", ["$400.00", "40%"]),
        ]
        assert top._layout_updates == before
        top.show([ProductRevenue("API calls", 60_000, 0.6), ProductRevenue("Seats", 40_000, 0.4)])
        await pilot.pause()
        assert widget_lines(app, top)[0].split()[-2:] == ["$600.00", "60%"]
        assert top._layout_updates > before
