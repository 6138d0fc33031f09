"""The 30-day usage events chart: a legend with each series' 30-day sum above the plot.

The legend is a line of its own rather than plotext's, which plotext draws over the data.
The plot (`usage_plot.py`) is mounted once the first frame is drawn: the figures come first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from importlib import import_module
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from metro_tui.widgets.usage_series import SERIES_COLOURS

if TYPE_CHECKING:
    from metro_tui.figures import UsageDay
    from metro_tui.widgets.usage_plot import UsagePlot

NOT_EXPOSED = (
    "The public Metronome API does not expose daily usage counts with duplicates, "
    "so this chart is shown for the local backend only."
)
LOADING = "Loading…"
MARK = "━━"
SERIES_GAP = "   "
PLOT_MODULE = "metro_tui.widgets.usage_plot"


class UsageLegend(Widget):
    """Each series' mark, name and 30-day sum: on one line, or one a line if that is too wide.

    With no series to show, it says instead what the chart has in their place.
    """

    DEFAULT_CSS = """
    UsageLegend { height: auto; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._series: list[Content] = []
        self._message: Content | None = Content(LOADING)

    def show_totals(self, totals: dict[str, int]) -> None:
        lines = self._line_count()
        self._series = [
            Content.assemble(
                (MARK, f"${SERIES_COLOURS[name]}"), f" {name} ", (f"{total:,}", "bold")
            )
            for name, total in totals.items()
        ]
        self._message = None
        self._redraw(lines)

    def show_message(self, message: str) -> None:
        lines = self._line_count()
        self._message = Content(message)
        self._redraw(lines)

    def _redraw(self, lines_before: int) -> None:
        """Repainted where it is while its height holds (as `TopProducts`)."""
        self.refresh(layout=self._line_count() != lines_before)

    def _line_count(self) -> int:
        return len(self._lines(self.content_size.width))

    def _lines(self, width: int) -> list[Content]:
        if self._message is not None:
            return self._message.wrap(max(1, width))
        line = Content(SERIES_GAP).join(self._series)
        return [line] if line.cell_length <= width else self._series

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_size.width))


class UsageChart(Vertical):
    """Total and duplicate events over 30 days; says so plainly when there is no such series."""

    DEFAULT_CSS = """
    UsageChart {
        border: round $primary 50%;
        border-title-color: $text-muted;
        height: 1fr;
        min-height: 12;
    }
    UsageChart.-message UsageLegend { color: $text-muted; }
    UsageChart.-error UsageLegend { color: $error; }
    UsageChart UsagePlot { height: 1fr; }
    UsageChart.-message UsagePlot { display: none; }
    """

    message: str | None = LOADING
    """What the chart says in place of the series, if anything."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._days: Sequence[UsageDay] = ()
        self._plot: UsagePlot | None = None

    def compose(self) -> ComposeResult:
        yield UsageLegend()

    def on_mount(self) -> None:
        self.border_title = "Usage events (30 days)"
        self.add_class("-message")
        self._mount_plot()

    @work(group="usage-plot")
    async def _mount_plot(self) -> None:
        """Mount the plot after the first frame, its module imported off the event loop:
        importing plotext first would hold back the figures on that frame."""
        drawn = asyncio.Event()
        self.call_after_refresh(drawn.set)
        await drawn.wait()
        await asyncio.to_thread(import_module, PLOT_MODULE)
        from metro_tui.widgets.usage_plot import UsagePlot

        plot = UsagePlot()
        plot.draw(self._days)
        await self.mount(plot)
        self._plot = plot

    def show(self, days: Sequence[UsageDay] | None) -> None:
        if days is None:
            self._show_message(NOT_EXPOSED)
            return
        self.message = None
        self.remove_class("-message", "-error")
        totals = {
            "Total": sum(day.total for day in days),
            "Duplicates": sum(day.duplicates for day in days),
        }
        self.query_one(UsageLegend).show_totals(totals)
        self._days = days
        if self._plot is not None:
            self._plot.draw(days)

    def show_error(self, message: str) -> None:
        self._show_message(f"Could not load: {message}", error=True)

    def _show_message(self, message: str, *, error: bool = False) -> None:
        self.message = message
        self.add_class("-message")
        self.set_class(error, "-error")
        self.query_one(UsageLegend).show_message(message)
