"""Widgets whose own lines are nothing but their background, drawn as blank strips.

Textual draws a container's own lines one by one (background, padding, border, line filters),
though its children cover nearly all of them, and again in full whenever it is laid out anew:
on the customer page that is the screen's and the scrolling page's every line, about a fifth
of each frame's Python calls while the page fills. A widget with no border, no padding and no
content of its own looks the same drawn as blank strips of its background (Textual's `BLANK`).
"""

from __future__ import annotations

from textual.app import App
from textual.filter import ANSIToTruecolor


def blank_strips_are_exact(app: App[object]) -> bool:
    """Whether blank strips look as Textual's own drawing would. Blank strips skip the line
    filters: exact unless one would change them (`NO_COLOR`, a dimming filter). The truecolor
    filter only maps ANSI colours, which a truecolour theme's backgrounds are not, and is off
    under an ANSI theme."""
    return all(isinstance(line_filter, ANSIToTruecolor) for line_filter in app.get_line_filters())


class BlankBackground:
    """Mixed into a Widget with no border, padding nor content of its own (a screen or a
    container whose children draw everything): its lines are drawn as blank strips."""

    @property
    def BLANK(self) -> bool:
        app: App[object] = self.app  # type: ignore[attr-defined]
        return blank_strips_are_exact(app)

    @BLANK.setter
    def BLANK(self, _: bool) -> None:
        raise AttributeError("BLANK follows the app's line filters")
