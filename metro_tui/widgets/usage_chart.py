"""The 30-day usage events chart: total and duplicates, with axes and a legend."""

from __future__ import annotations

from collections.abc import Sequence

from textual_plotext import PlotextPlot

from metro_tui.models import UsageDay

NOT_EXPOSED = (
    "The public Metronome API does not expose daily usage counts with duplicates, "
    "so this chart is shown for the local backend only."
)
LOADING = "Loading…"
WEEK = 7
EDGE = 2


class UsageChart(PlotextPlot):
    """Two series over 30 days; says so plainly when the backend has no such series."""

    DEFAULT_CSS = """
    UsageChart {
        border: round $primary 50%;
        border-title-color: $text-muted;
        height: 1fr;
        min-height: 12;
    }
    """

    message: str | None = LOADING
    """What the chart says in place of the series, if anything."""

    def on_mount(self) -> None:
        self.border_title = "Usage events (30 days)"
        self.plt.title(LOADING)

    def show(self, days: Sequence[UsageDay] | None) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        self.message = NOT_EXPOSED if days is None else None
        if days is None:
            plt.title(NOT_EXPOSED)
            self.refresh()
            return
        labels = [day.day.strftime("%m-%d") for day in days]
        positions: list[float] = [float(i) for i in range(len(days))]
        plt.plot(positions, [day.total for day in days], label="Total", marker="braille")
        plt.plot(positions, [day.duplicates for day in days], label="Duplicates", marker="braille")
        # Weekly ticks kept off both edges: plotext drops a label that collides with another
        # or with the frame, and which one it drops depends on the exact width it drew at.
        ticks = range(EDGE, len(days) - EDGE, WEEK)
        plt.xticks([positions[i] for i in ticks], [labels[i] for i in ticks])
        plt.ylabel("events")
        self.refresh()

    def show_error(self, message: str) -> None:
        self.message = f"Could not load: {message}"
        self.plt.clear_data()
        self.plt.title(self.message)
        self.refresh()
