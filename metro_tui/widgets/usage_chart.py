"""The 30-day usage events chart: total and duplicates, with axes and a legend."""

from __future__ import annotations

from collections.abc import Sequence

from textual_plotext import PlotextPlot

from metro_tui.models import UsageDay

NOT_EXPOSED = (
    "The public Metronome API does not expose daily usage counts with duplicates, "
    "so this chart is shown for the local backend only."
)


WEEK = 7


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

    def on_mount(self) -> None:
        self.border_title = "Usage events (30 days)"
        self.plt.title("Loading…")

    def show(self, days: Sequence[UsageDay] | None) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if days is None:
            plt.title(NOT_EXPOSED)
            self.refresh()
            return
        labels = [day.day.strftime("%m-%d") for day in days]
        positions: list[float] = [float(i) for i in range(len(days))]
        plt.plot(positions, [day.total for day in days], label="Total", marker="braille")
        plt.plot(positions, [day.duplicates for day in days], label="Duplicates", marker="braille")
        # Weekly ticks: few enough never to collide at 80 columns, where plotext would drop
        # colliding labels depending on the exact width it drew at.
        plt.xticks(positions[::WEEK], labels[::WEEK])
        plt.ylabel("events")
        self.refresh()

    def show_error(self, message: str) -> None:
        self.plt.clear_data()
        self.plt.title(f"Could not load: {message}")
        self.refresh()
