"""Monthly billings on the customer detail: the amounts in words, and a bar per month."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult

from metro_tui.config import Settings
from metro_tui.screens.customer_detail import CustomerDetailScreen
from metro_tui.services.money import format_cents
from metro_tui.services.revenue import MonthRevenue
from metro_tui.widgets.monthly_billings import MonthlyBillings
from tests.ui.conftest import make_app
from tests.ui.keyboard import filter_customers
from tests.ui.screen_text import widget_lines
from tests.ui.seed_facts import finalized_by_month, linked_customers

MONTHS = [(2025, 11), (2025, 12), *((2026, month) for month in range(1, 11))]
"""The 12 months ending with the one before the tests' today (2026-11-24)."""
NAMES = ["Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct"]


class _Harness(App[None]):
    CSS = "MonthlyBillings { width: 72; }"

    def compose(self) -> ComposeResult:
        yield MonthlyBillings()


async def test_bars_tell_a_zero_month_from_a_small_one() -> None:
    amounts = [0, 1, 25_000, 50_000, 75_000, 100_000, 0, 0, 0, 0, 0, 30_000]
    app = _Harness()
    async with app.run_test(size=(80, 10)) as pilot:
        widget = app.query_one(MonthlyBillings)
        widget.show(
            [
                MonthRevenue(f"{year}-{month:02d}", cents)
                for (year, month), cents in zip(MONTHS, amounts, strict=True)
            ]
        )
        await pilot.pause()
        assert widget_lines(app, widget) == [
            "Last month (Oct 2026) $300.00  ·  Highest (Apr 2026) $1,000.00",
            "                        ▄▄▄▄▄ █████",
            "····· ▁▁▁▁▁ ▄▄▄▄▄ █████ █████ █████ ····· ····· ····· ····· ····· ▅▅▅▅▅",
            "Nov   Dec   Jan   Feb   Mar   Apr   May   Jun   Jul   Aug   Sep   Oct",
        ]


async def test_no_billings_at_all_say_so() -> None:
    app = _Harness()
    async with app.run_test(size=(80, 10)) as pilot:
        widget = app.query_one(MonthlyBillings)
        widget.show([MonthRevenue(f"{y}-{m:02d}", 0) for y, m in MONTHS])
        await pilot.pause()
        assert widget_lines(app, widget) == [
            "No billings from Nov 2025 to Oct 2026",
            "",
            " ".join(["·····"] * 12),
            "   ".join(NAMES),
        ]


async def test_detail_names_the_last_and_the_highest_month(
    settings: Settings, data_file: Path
) -> None:
    """A seeded customer whose highest month is not its last: both amounts, with their months."""
    by_customer = {
        known.stripe_customer_id: [
            finalized_by_month(data_file, year, month, known.metronome_customer_id)
            for year, month in MONTHS
        ]
        for known in linked_customers(data_file).values()
    }
    stripe_id, amounts = min(
        (stripe_id, amounts)
        for stripe_id, amounts in by_customer.items()
        if 0 in amounts and max(amounts) > amounts[-1]
    )
    highest = max(range(12), key=lambda i: (amounts[i], i))
    year = MONTHS[highest][0]
    app = make_app(settings, data_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("2")
        await filter_customers(pilot, stripe_id)
        await pilot.press("enter", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CustomerDetailScreen)
        lines = widget_lines(app, app.screen.query_one(MonthlyBillings))
        assert lines[0] == (
            f"Last month (Oct 2026) {format_cents(amounts[-1])}  ·  "
            f"Highest ({NAMES[highest]} {year}) {format_cents(amounts[highest])}"
        )
        slot = 6  # 76 columns inside the panel, 12 months
        bottom = lines[2]
        assert [bottom[i * slot] == "·" for i in range(12)] == [cents == 0 for cents in amounts]
        assert lines[3] == "".join(f"{name:<{slot}}" for name in NAMES).rstrip()
