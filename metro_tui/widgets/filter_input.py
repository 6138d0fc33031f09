"""A text box whose keystrokes repaint the box alone: typing a filter never lays out the screen.

Textual's `Input` sets its virtual size to the text's width on every change, and
`virtual_size` is a reactive that lays out the whole screen. The box's place never depends on
that width: it is as wide as its container says (its horizontal scrollbar has no size), and
scrolling to the cursor reads the virtual size when it is needed. At 100,000 customers the
layout was a frame's worth of work added to each filter keystroke.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class FilterInput(Input):
    """An `Input` for a filter typed as you go: a key repaints it, and lays nothing out."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """As `Widget.virtual_size`, without the layout (see the module's docstring)."""
