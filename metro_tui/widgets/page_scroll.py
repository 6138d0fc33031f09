"""A page that scrolls by the list keys: arrows or `j`/`k`, PageUp/PageDown, `g`/`G`."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.containers import VerticalScroll

from metro_tui.widgets.list_keys import ListActions, list_bindings


class PageScroll(VerticalScroll):
    """A scrolling page, moved by the same keys (and keymap ids) as every list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings(
            ListActions(
                up="scroll_up",
                down="scroll_down",
                page_up="page_up",
                page_down="page_down",
                first="scroll_home",
                last="scroll_end",
            )
        )
    ]
