"""The customer page's identities: the Stripe and the Metronome panels, side by side or one
above the other (class `-stacked`), drawn line by line by one widget.

As a Horizontal of two bordered Statics they were three widgets to lay out and draw in every
frame that lays the page out, the first one that shows the page most of all. Each panel is
drawn cell for cell as its Static was (`border: round $primary 50%`, the title in
`$text-muted`, `padding: 0 1`, half the width each, the left half rounded down as Textual
shares `1fr` widths), so the page looks as it did.

Their text can be selected with the mouse and copied as a Static's can: each cell of text
carries its place in the identities' text (`Strip.apply_offsets`), the Stripe panel's lines
first, then the Metronome panel's; the borders and padding carry none, so a selection copies
the words alone.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.geometry import Region, Size
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget

from metro_tui.widgets.selectable_text import selectable_lines

PANEL_INSET = 4
"""A panel's border and the padding either side of its text, in cells."""
PANEL_EDGES = 2
"""A panel's top and bottom border, in lines."""


class _Look(NamedTuple):
    background: RichStyle
    border: RichStyle
    title: RichStyle


class IdentitiesPanel(Widget):
    """The customer's Stripe and Metronome panels; `-stacked` puts one above the other."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "identities-panel--border",
        "identities-panel--title",
    }
    DEFAULT_CSS = """
    IdentitiesPanel {
        height: auto;
        & > .identities-panel--border { color: $primary 50%; }
        & > .identities-panel--title { color: $text-muted; }
    }
    """
    TITLES = ("Stripe", "Metronome")

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._texts: tuple[Content, Content] = (Content(), Content())
        self._lines: list[Strip] | None = None
        """Every line drawn, for the width and styles drawn last."""
        self._drawn_width = -1
        self._look: _Look | None = None

    @property
    def stripe(self) -> Content:
        """The Stripe panel's text."""
        return self._texts[0]

    @property
    def metronome(self) -> Content:
        """The Metronome panel's text."""
        return self._texts[1]

    @property
    def stacked(self) -> bool:
        return self.has_class("-stacked")

    def show(self, stripe: Content, metronome: Content) -> None:
        """Draw the two panels' texts; the page is laid out again only if they change."""
        if (stripe.plain, stripe.spans, metronome.plain, metronome.spans) == (
            self._texts[0].plain,
            self._texts[0].spans,
            self._texts[1].plain,
            self._texts[1].spans,
        ):
            return
        self._texts = (stripe, metronome)
        self._lines = None
        self.refresh(layout=True)

    def panel_regions(self) -> tuple[Region, Region]:
        """Where the Stripe and the Metronome panels are drawn, in the widget."""
        width = self.size.width
        (left, right), heights = self._widths(width), self._heights(width)
        if self.stacked:
            return Region(0, 0, width, heights[0]), Region(0, heights[0], width, heights[1])
        return Region(0, 0, left, heights[0]), Region(left, 0, right, heights[1])

    def _widths(self, width: int) -> tuple[int, int]:
        if self.stacked:
            return width, width
        return width // 2, width - width // 2

    def _heights(self, width: int) -> tuple[int, int]:
        rules = self.styles.get_rules()
        return (
            self._texts[0].get_height(rules, max(self._widths(width)[0] - PANEL_INSET, 1))
            + PANEL_EDGES,
            self._texts[1].get_height(rules, max(self._widths(width)[1] - PANEL_INSET, 1))
            + PANEL_EDGES,
        )

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        heights = self._heights(width)
        return sum(heights) if self.stacked else max(heights)

    def notify_style_update(self) -> None:
        # A theme, or `-stacked` set or cleared: the kept lines were drawn in the old look.
        self._look = None
        self._lines = None
        super().notify_style_update()

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The panels' words under `selection`: the Stripe panel's lines, then Metronome's."""
        width = self.size.width
        lines: list[str] = []
        for text, panel_width in zip(self._texts, self._widths(width), strict=True):
            lines.extend(line.text.rstrip() for line in self._wrapped(text, panel_width))
        return selection.extract("\n".join(lines)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._lines = None  # the kept lines were drawn with the selection before
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if self._lines is None or width != self._drawn_width:
            self._drawn_width = width
            self._lines = self._draw(width)
        if y < len(self._lines):
            return self._lines[y]
        return Strip.blank(width, self._styles().background)

    def _styles(self) -> _Look:
        """The background, the border and the title, as Textual draws a border over the
        widget's background."""
        if self._look is None:
            base, own = self.background_colors
            background = base + own
            inner = Style(background=background)
            border, title = (
                inner + Style(foreground=background + self.get_component_styles(name).color)
                for name in ("identities-panel--border", "identities-panel--title")
            )
            self._look = _Look(inner.rich_style, border.rich_style, title.rich_style)
        return self._look

    def _wrapped(self, text: Content, panel_width: int) -> list[Strip]:
        return Visual.to_strips(
            self, text, max(panel_width - PANEL_INSET, 1), None, self.visual_style
        )

    def _draw(self, width: int) -> list[Strip]:
        look = self._styles()
        widths = self._widths(width)
        panels: list[list[Strip]] = []
        first_text_line = 0
        for title, text, panel_width in zip(self.TITLES, self._texts, widths, strict=True):
            wrapped = self._wrapped(text, panel_width)
            panels.append(self._panel(title, wrapped, panel_width, first_text_line, look))
            first_text_line += len(wrapped)
        if self.stacked:
            return panels[0] + panels[1]
        height = max(len(panels[0]), len(panels[1]))
        lines = []
        for y in range(height):
            halves = [
                panel[y] if y < len(panel) else Strip.blank(panel_width, look.background)
                for panel, panel_width in zip(panels, widths, strict=True)
            ]
            lines.append(Strip.join(halves))
        return lines

    def _panel(
        self, title: str, wrapped: list[Strip], width: int, first_line: int, look: _Look
    ) -> list[Strip]:
        """A panel's lines: its rounded border titled `title`, and its text. `first_line` is
        the text's first line's place in the identities' text, which selecting it goes by."""
        text_width = max(width - PANEL_INSET, 1)
        label = f" {title} "
        rule = max(width - 3 - len(label), 0)
        top = Strip(
            [
                Segment("╭─", look.border),
                Segment(label, look.title),
                Segment("─" * rule + "╮", look.border),
            ],
            width,
        ).crop(0, width)
        side = Segment("│", look.border)
        space = Segment(" ", look.background)
        lines = [top]
        for text in selectable_lines(self, wrapped, first_line, text_width, look.background):
            lines.append(Strip([side, space, *text, space, side], width))
        lines.append(Strip([Segment("╰" + "─" * (width - 2) + "╯", look.border)], width))
        return lines
