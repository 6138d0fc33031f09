"""The usage events chart: 30-day sums in its legend, whole-number ticks, nothing on the plot."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from textual.app import App, ComposeResult

from metro_tui.config import Settings
from metro_tui.models import UsageDay
from metro_tui.widgets.usage_chart import UsageChart, UsageLegend
from metro_tui.widgets.usage_plot import UsagePlot
from metro_tui.widgets.usage_series import whole_number_ticks
from tests.ui.conftest import make_app
from tests.ui.screen_text import widget_lines
from tests.ui.seed_facts import busiest_usage_day, usage_totals

FIRST_DAY, LAST_DAY = "2026-10-26", "2026-11-24"
"""The 30 UTC days ending on the tests' today."""
Y_LABEL = re.compile(r"^\s*(\S+)┤")


@pytest.mark.parametrize(
    ("peak", "ticks"),
    [
        (357, [0, 100, 200, 300, 400]),
        (400, [0, 100, 200, 300, 400]),
        (1426, [0, 500, 1000, 1500]),
        (7, [0, 2, 4, 6, 8]),
        (3, [0, 1, 2, 3]),
        (1, [0, 1]),
        (0, [0, 1]),
    ],
)
def test_y_ticks_are_whole_numbers_in_a_round_step(peak: int, ticks: list[int]) -> None:
    assert whole_number_ticks(peak) == ticks


@pytest.mark.parametrize(
    ("size", "y_ticks"),
    [
        pytest.param((80, 24), ["400", "200", "0"], id="80x24"),  # a short plot: fewer ticks
        pytest.param((120, 40), ["400", "300", "200", "100", "0"], id="120x40"),
    ],
)
async def test_legend_sums_the_30_days_above_a_plot_with_whole_ticks(
    settings: Settings, data_file: Path, size: tuple[int, int], y_ticks: list[str]
) -> None:
    total, duplicates = usage_totals(data_file, FIRST_DAY, LAST_DAY)
    assert busiest_usage_day(data_file, FIRST_DAY, LAST_DAY) == 357  # so the top tick is 400
    app = make_app(settings, data_file)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        chart = app.query_one(UsageChart)
        legend = chart.query_one(UsageLegend)
        assert widget_lines(app, legend) == [f"━━ Total {total:,}   ━━ Duplicates {duplicates:,}"]
        plot = chart.query_one(UsagePlot)
        assert legend.region.bottom <= plot.region.y  # the legend is above the plot, not on it
        drawn = widget_lines(app, plot)
        assert not any("Total" in line or "Duplicates" in line for line in drawn)
        y_labels = [match[1] for line in drawn if (match := Y_LABEL.match(line))]
        assert y_labels == y_ticks


class _ChartHarness(App[None]):
    CSS = "UsageChart { width: 36; }"

    def compose(self) -> ComposeResult:
        yield UsageChart()


async def test_a_legend_too_wide_for_one_line_puts_each_series_on_its_own() -> None:
    days = [UsageDay(day=date(2026, 11, 1), total=38_217, duplicates=1_118)]
    app = _ChartHarness()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()  # the plot is mounted after the first frame
        chart = app.query_one(UsageChart)
        assert widget_lines(app, chart.query_one(UsageLegend)) == ["Loading…"]
        chart.show(days)
        await pilot.pause()
        assert widget_lines(app, chart.query_one(UsageLegend)) == [
            "━━ Total 38,217",
            "━━ Duplicates 1,118",
        ]
        chart.show(None)
        await pilot.pause()
        assert widget_lines(app, chart.query_one(UsageLegend)) == [
            "The public Metronome API does",
            "not expose daily usage counts",
            "with duplicates, so this chart",
            "is shown for the local backend",
            "only.",
        ]
        assert not chart.query_one(UsagePlot).display


async def test_a_legend_that_keeps_its_height_is_repainted_without_a_layout() -> None:
    """New sums on as many lines are drawn where the old ones were; a legend that wraps onto
    more lines lays the chart out again."""
    app = _ChartHarness()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        chart = app.query_one(UsageChart)
        legend = chart.query_one(UsageLegend)
        chart.show([UsageDay(day=date(2026, 11, 1), total=317, duplicates=8)])
        await pilot.pause()
        before = legend._layout_updates
        chart.show([UsageDay(day=date(2026, 11, 1), total=401, duplicates=2)])
        await pilot.pause()
        assert widget_lines(app, legend) == ["━━ Total 401   ━━ Duplicates 2"]
        assert legend._layout_updates == before
        chart.show([UsageDay(day=date(2026, 11, 1), total=38_217, duplicates=1_118)])
        await pilot.pause()
        assert widget_lines(app, legend) == ["━━ Total 38,217", "━━ Duplicates 1,118"]
        assert legend._layout_updates > before
