"""A titled figure with a detail line and an optional sparkline, with loading/error states."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Sparkline


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
    StatCard.-error .stat-value { color: $error; text-style: none; }
    StatCard.-warning .stat-detail { color: $warning; }
    StatCard Sparkline { height: 2; margin-top: 1; }
    """

    def __init__(self, title: str, *, id: str | None = None, sparkline: bool = False) -> None:
        super().__init__(id=id)
        self.border_title = title
        self._has_sparkline = sparkline

    def compose(self) -> ComposeResult:
        yield Label("Loading…", classes="stat-value")
        yield Label("", classes="stat-detail")
        if self._has_sparkline:
            yield Sparkline([], summary_function=max)

    def show(
        self,
        value: str,
        detail: str = "",
        series: Sequence[float] = (),
        *,
        warning: str | None = None,
    ) -> None:
        """The figure; a `warning` (the figure is incomplete) replaces the detail line."""
        self.remove_class("-error")
        self.set_class(warning is not None, "-warning")
        self.query_one(".stat-value", Label).update(value)
        self.query_one(".stat-detail", Label).update(detail if warning is None else warning)
        if self._has_sparkline:
            self.query_one(Sparkline).data = list(series)

    def show_error(self, message: str) -> None:
        self.remove_class("-warning")
        self.add_class("-error")
        self.query_one(".stat-value", Label).update("Could not load")
        self.query_one(".stat-detail", Label).update(message)
