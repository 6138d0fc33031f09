"""What every line-by-line table shares: a one-line header, rows below it, a row cursor.

The customer table and the invoice table draw their own lines (the Line API); moving the
cursor, paging and clicking a row work the same in both, so they live here once.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.geometry import Region, Spacing
from textual.scroll_view import ScrollView

from metro_tui.widgets.list_keys import ListActions, list_bindings

HEADER_HEIGHT = 1
ROW_CURSOR_BINDINGS = list_bindings(
    ListActions(
        up="cursor_up",
        down="cursor_down",
        page_up="page_up",
        page_down="page_down",
        first="cursor_first",
        last="cursor_last",
    )
)
"""The list keys, bound to the cursor actions every row cursor table has."""


class RowCursorTable(ScrollView, can_focus=True):
    """Rows under a fixed header, with a cursor moved by the list keys and the mouse."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header",
        "row-table--cursor",
        "row-table--zebra",
    }
    DEFAULT_CSS = """
    RowCursorTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .row-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .row-table--header { background: $panel; color: $foreground; text-style: bold; }
        & > .row-table--zebra { background: $surface-lighten-1 50%; }
        &:dark > .row-table--zebra { background: $surface-darken-1 40%; }
        & > .row-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._cursor = 0

    @property
    def row_count(self) -> int:
        """Rows shown: the cursor moves among these."""
        raise NotImplementedError

    @property
    def cursor_index(self) -> int:
        """The cursor's position among the rows shown."""
        return self._cursor

    @property
    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - HEADER_HEIGHT)

    def _set_cursor(self, index: int) -> None:
        self._cursor = max(0, min(index, self.row_count - 1))
        self.refresh()
        self.scroll_to_region(
            Region(0, self._cursor + HEADER_HEIGHT, 1, 1),
            spacing=Spacing(top=HEADER_HEIGHT),
            animate=False,
            force=True,
            x_axis=False,
            immediate=True,
        )
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        """Called after every cursor move, for what a table tells others about it."""

    def _before_cursor_key(self) -> None:
        """Called before a key or a click moves the cursor, for a table whose rows are not
        all counted yet to count them: the keys move among every row."""

    def _header_clicked(self, x: int) -> None:
        """Called with the clicked column's offset in the whole (unscrolled) header line."""

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        self._before_cursor_key()
        scroll_x, scroll_y = self.scroll_offset
        if offset.y < HEADER_HEIGHT:
            self._header_clicked(offset.x + scroll_x)
            return
        index = offset.y - HEADER_HEIGHT + scroll_y
        if index >= self.row_count:
            return
        if index == self._cursor:
            self.action_select_cursor()
        else:
            self._set_cursor(index)

    def action_select_cursor(self) -> None:
        """Enter on the row under the cursor."""

    def action_cursor_up(self) -> None:
        self._before_cursor_key()
        self._set_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._before_cursor_key()
        self._set_cursor(self._cursor + 1)

    def action_page_up(self) -> None:
        self._page(-self._body_height)

    def action_page_down(self) -> None:
        self._page(self._body_height)

    def _page(self, rows: int) -> None:
        self._before_cursor_key()
        # Scroll the view by a page as well, so the cursor keeps its place on screen.
        self.scroll_to(y=self.scroll_offset.y + rows, animate=False, force=True, immediate=True)
        self._set_cursor(self._cursor + rows)

    def action_cursor_first(self) -> None:
        self._before_cursor_key()
        self._set_cursor(0)

    def action_cursor_last(self) -> None:
        self._before_cursor_key()
        self._set_cursor(self.row_count - 1)
