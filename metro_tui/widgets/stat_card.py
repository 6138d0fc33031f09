"""A titled figure with a detail line and an optional sparkline, with loading/error states.

One widget that draws its own lines (the Line API). As a Vertical of two to four Labels and
a Sparkline, the three Overview cards were 11 of the 37 widgets on screen at a warm start's
first frame, each composed, styled, laid out and drawn before it showed the total (as one
widget each, about 0.03 to 0.055 s less CPU to that frame, in turns). Each line is drawn
as its Label was: in the card's style plus its component class's (`stat-card--value`, ...),
which the card's state classes (`-error`, `-warning`, `-partial`) restyle as they did the
Labels; the sparkline is Textual's own Sparkline renderable, in the Sparkline widget's colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.content import Content
from textual.renderables.sparkline import Sparkline
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget

LOADING = "Loading…"
SPARKLINE_HEIGHT = 2


class StatCard(Widget):
    """One Overview figure: shows "Loading…" until `show` or `show_error` is called."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "stat-card--value",
        "stat-card--detail",
        "stat-card--caption",
        "stat-card--sparkline-max",
        "stat-card--sparkline-min",
    }
    DEFAULT_CSS = """
    StatCard {
        border: round $primary 50%;
        border-title-color: $text-muted;
        padding: 0 1;
        height: 7;
        width: 1fr;
        & > .stat-card--value { text-style: bold; color: $text; }
        & > .stat-card--detail { color: $text-muted; }
        & > .stat-card--caption { color: $text-muted; }
        & > .stat-card--sparkline-max { color: $primary; }
        & > .stat-card--sparkline-min { color: $primary 30%; }
        &.-error > .stat-card--value { color: $error; text-style: none; }
        &.-warning > .stat-card--detail { color: $warning; }
        &.-partial > .stat-card--value { color: $text-muted; text-style: bold italic; }
        &.-partial > .stat-card--detail { color: $accent; }
    }
    """

    def __init__(
        self, title: str, *, id: str | None = None, sparkline_caption: str | None = None
    ) -> None:
        """`sparkline_caption` (what the series covers) adds a sparkline under the figure."""
        super().__init__(id=id)
        self.border_title = title
        self._caption = sparkline_caption
        self._value = LOADING
        self._detail = ""
        self._series: tuple[float, ...] = ()
        self._lines: list[Strip] = []
        """The card's lines as drawn last, at `_drawn_width`; none until drawn again."""
        self._drawn_width = -1

    @property
    def value(self) -> str:
        """The figure's line, as shown: the figure, "Loading…" or "Could not load"."""
        return self._value

    @property
    def detail(self) -> str:
        """The line under the figure: its detail, warning, load so far or error."""
        return self._detail

    @property
    def caption(self) -> str | None:
        """What the sparkline covers; None when the card has no sparkline."""
        return self._caption

    @property
    def series(self) -> tuple[float, ...]:
        """The sparkline's values, oldest first."""
        return self._series

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
        self._value = value
        self._detail = so_far or warning or detail
        if self._caption is not None:
            self._series = tuple(series)
        self._redraw()

    def show_error(self, message: str) -> None:
        self.remove_class("-warning", "-partial")
        self.add_class("-error")
        self._value = "Could not load"
        self._detail = message
        self._redraw()

    def _redraw(self) -> None:
        self._drawn_width = -1
        self.refresh()

    def notify_style_update(self) -> None:
        # A state class or a theme changes the colours the kept lines were drawn in.
        self._drawn_width = -1
        super().notify_style_update()

    def render(self) -> Content:
        """The card's text, each line in its component's style: what a selection copies."""
        parts = [(self._value, "stat-card--value"), (self._detail, "stat-card--detail")]
        if self._caption is not None:
            parts.append((self._caption, "stat-card--caption"))
        return Content("\n").join(
            Content.styled(text, self.get_visual_style(component)) for text, component in parts
        )

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if width != self._drawn_width:
            self._lines = self._draw(width)
            self._drawn_width = width
        # Textual fills the rest of the line, and the lines under these, with the background.
        return self._lines[y] if y < len(self._lines) else Strip([])

    def _draw(self, width: int) -> list[Strip]:
        """The text wrapped at a word to the card's width, then the sparkline under it."""
        style = self.visual_style
        lines = Visual.to_strips(self, self.render(), width, None, style)
        if self._caption is not None:
            lines += Visual.to_strips(self, self._sparkline(width), width, SPARKLINE_HEIGHT, style)
        return lines

    def _sparkline(self, width: int) -> Visual:
        """The series as the Sparkline widget draws it: each bar the tallest of its months."""
        _, base = self.background_colors
        low = base + self.get_component_styles("stat-card--sparkline-min").color
        high = base + self.get_component_styles("stat-card--sparkline-max").color
        sparkline = Sparkline(
            self._series,
            width=width,
            height=SPARKLINE_HEIGHT,
            min_color=low.rich_color,
            max_color=high.rich_color,
            summary_function=max,
        )
        return visualize(self, sparkline)
