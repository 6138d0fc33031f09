"""A page that scrolls by the list keys: arrows or `j`/`k`, PageUp/PageDown, `g`/`G`."""

from __future__ import annotations

from typing import ClassVar

from textual.actions import SkipAction
from textual.binding import BindingType
from textual.containers import VerticalScroll

from metro_tui.widgets.list_keys import ListActions, list_bindings


class PageScroll(VerticalScroll):
    """A scrolling page, moved by the same keys (and keymap ids) as every list.

    Each key moves the page from where the keys before it sent it, at once. Textual's own
    line and page scrolls wait for the next frame and start from where the page is then, so
    keys that arrive together (a held key, or a terminal delivering several in one read) all
    started from the same place and moved the page once.
    """

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

    def action_scroll_down(self) -> None:
        self._scroll_by(1)

    def action_scroll_up(self) -> None:
        self._scroll_by(-1)

    def action_page_down(self) -> None:
        self._scroll_by(self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        self._scroll_by(-self.scrollable_content_region.height)

    def _scroll_by(self, lines: int) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_to(y=self.scroll_target_y + lines, immediate=True)
