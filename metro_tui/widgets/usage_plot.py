"""The plot of the usage events chart: imported only once the first frame is drawn, because
plotext takes a noticeable part of a second to import."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import RenderResult
from textual.color import Color
from textual_plotext import PlotextPlot

from metro_tui.widgets.usage_series import (
    EDGE,
    FRAME_ROWS,
    ROWS_PER_INTERVAL,
    SERIES_COLOURS,
    WEEK,
    Y_INTERVALS,
    whole_number_ticks,
)

if TYPE_CHECKING:
    from metro_tui.figures import UsageDay


class UsagePlot(PlotextPlot):
    """The two series against days, with whole-number y ticks and weekly date ticks.

    The figure is built at each render, for the height it is drawn at (a short plot gets
    fewer ticks) and in the colours of the theme of the moment.
    """

    days: Sequence[UsageDay] = ()

    def draw(self, days: Sequence[UsageDay]) -> None:
        self.days = days
        self.refresh()

    def render(self) -> RenderResult:
        days = self.days
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        positions: list[float] = [float(i) for i in range(len(days))]
        theme = self.app.theme_variables
        for name, values in (
            ("Total", [day.total for day in days]),
            ("Duplicates", [day.duplicates for day in days]),
        ):
            colour = Color.parse(theme[SERIES_COLOURS[name]]).rgb
            plt.plot(positions, values, marker="braille", color=colour)
        rows = self.size.height - FRAME_ROWS
        intervals = max(1, min(Y_INTERVALS, rows // ROWS_PER_INTERVAL))
        ticks = whole_number_ticks(max((day.total for day in days), default=0), intervals)
        plt.ylim(ticks[0], ticks[-1])
        plt.yticks([float(tick) for tick in ticks], [f"{tick:,}" for tick in ticks])
        # Weekly ticks kept off both edges: plotext drops a label that collides with another
        # or with the frame, and which one it drops depends on the exact width it drew at.
        labels = [day.day.strftime("%m-%d") for day in days]
        weekly = range(EDGE, len(days) - EDGE, WEEK)
        plt.xticks([positions[i] for i in weekly], [labels[i] for i in weekly])
        return super().render()
