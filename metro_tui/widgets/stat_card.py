"""A titled figure with a detail line and an optional sparkline, with loading/error states."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Sparkline

LOADING = "Loading…"


class StatCard(Vertical):
    """One Overview figure: shows "Loading…" until `show` or `show_error` is called."""

    DEFAULT_CSS = """
    StatCard {
        border: round $primary 50%;
        border-title-color: $text-muted;
        padding: 0 1;
        height: 7;
        width: 1fr;
    }
    /* The card's width, not the text's: a line too long for a narrow card wraps at a word. */
    StatCard Label { width: 100%; }
    StatCard .stat-value { text-style: bold; color: $text; }
    StatCard .stat-detail { color: $text-muted; }
    StatCard .stat-caption { color: $text-muted; }
    StatCard.-error .stat-value { color: $error; text-style: none; }
    StatCard.-warning .stat-detail { color: $warning; }
    StatCard.-partial .stat-value { color: $text-muted; text-style: bold italic; }
    StatCard.-partial .stat-detail { color: $accent; }
    StatCard Sparkline { height: 2; }
    """

    def __init__(
        self, title: str, *, id: str | None = None, sparkline_caption: str | None = None
    ) -> None:
        """`sparkline_caption` (what the series covers) adds a sparkline under the figure."""
        super().__init__(id=id)
        self.border_title = title
        self._sparkline_caption = sparkline_caption

    def compose(self) -> ComposeResult:
        yield Label(LOADING, classes="stat-value")
        yield Label("", classes="stat-detail")
        if self._sparkline_caption is not None:
            yield Label(self._sparkline_caption, classes="stat-caption")
            yield Sparkline([], summary_function=max)

    def show(
        self,
        value: str,
        detail: str = "",
        series: Sequence[float] = (),
        *,
        warning: str | None = None,
        so_far: str | None = None,
    ) -> None:
        """The figure; a `warning` (the figure is incomplete) replaces the detail line, and so
        does `so_far` (the figure is a partial sum while the load runs: how far it has got)."""
        self.remove_class("-error")
        self.set_class(so_far is None and warning is not None, "-warning")
        self.set_class(so_far is not None, "-partial")
        self.query_one(".stat-value", Label).update(value)
        self.query_one(".stat-detail", Label).update(so_far or warning or detail)
        if self._sparkline_caption is not None:
            self.query_one(Sparkline).data = list(series)

    def show_error(self, message: str) -> None:
        self.remove_class("-warning", "-partial")
        self.add_class("-error")
        self.query_one(".stat-value", Label).update("Could not load")
        self.query_one(".stat-detail", Label).update(message)
