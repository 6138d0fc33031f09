"""A virtual table of customers: only the lines on screen are ever rendered.

Textual's DataTable measures every cell on the UI loop (seconds at 10k rows); this widget
draws each visible line from the rows with the Line API, so showing, sorting and filtering
cost one pass over plain values, whatever the number of customers. More than `AT_ONCE_ROWS`
new rows are indexed and sorted a slice at a time between frames, so even that pass never
holds the loop long; over as many rows, a filter finds the screen's matches at once and
counts the rest between frames.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Sequence
from dataclasses import dataclass, field
from time import perf_counter
from typing import ClassVar

from rich.style import Style
from textual import events, work
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from metro_tui.customer_columns import Column, CustomerColumn, Tone
from metro_tui.figures import CustomerRow
from metro_tui.widgets.customer_listing import SLICE_ROWS, CustomerListing, IndexedRows
from metro_tui.widgets.drawn_lines import DrawnLines
from metro_tui.widgets.plain_lines import finished_lines, is_plain_box
from metro_tui.widgets.row_cursor_table import (
    HEADER_HEIGHT,
    ROW_CURSOR_BINDINGS,
    RowCursorTable,
)
from metro_tui.widgets.table_layout import (
    TableLayout,
    data_widths,
    layout_columns,
    neighbour_column,
)
from metro_tui.widgets.table_lines import centred_strip, header_strip, row_strip

TONE_CLASSES = {tone: f"customer-table--{tone}" for tone in Tone}
"""The component class that colours a cell of each tone."""
_SORT_GROUP = Binding.Group("Sort column")
DEFAULT_SORT = (CustomerColumn.DATE_CREATED, True)
"""Newest customer first, as Stripe lists them; the header marks it like any other sort."""


AT_ONCE_ROWS = 10_000
"""Up to this many rows are taken, and sorted, at once; more are worked on in slices."""
KEPT_LINES = 128
"""The rows' lines kept between frames: a few screens' worth (`DrawnLines` keeps up to twice
as many), so a filter's first matches, or the rows scrolled back to, are not drawn again."""
TURN_S = 0.01
"""Slices of work run back to back for up to this long before the event loop gets a turn."""
TURN_GAP_S = 1e-6
"""How long work in slices waits for its next turn: a timer (`sleep(0)` is a bare yield, not
a timer), so it queues behind the frames and timers that came due during its turn rather
than ahead of them, yet is due again at once if nothing else is."""


@dataclass(frozen=True, slots=True)
class RowLook:
    """What every row's line in a frame is drawn with: a line kept from an earlier frame is
    the same only if all of this is (the cursor's style, say, changes with the focus)."""

    width: int
    scroll_x: int
    layout: TableLayout
    base: Style
    striped: Style
    """The base style with the zebra stripe, for every other row."""
    cursor: Style
    tones: tuple[Style, ...]
    """Each `Tone`'s own style, in `Tone`'s order."""
    _cell_styles: dict[tuple[bool, bool], dict[Tone | None, Style]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def cell_styles(self, *, striped: bool, on_cursor: bool) -> dict[Tone | None, Style]:
        """The style of a cell of each tone (None: no tone) in a row with or without the stripe
        and the cursor: the row's style, the tone's, then the cursor's colours, which win over
        the status colours, as in Textual's DataTable. Worked out once per look."""
        key = (striped, on_cursor)
        styles = self._cell_styles.get(key)
        if styles is None:
            row_style = self.striped if striped else self.base
            styles = {None: row_style}
            for tone, tone_style in zip(Tone, self.tones, strict=True):
                styles[tone] = row_style + tone_style
            if on_cursor:
                styles = {tone: style + self.cursor for tone, style in styles.items()}
            self._cell_styles[key] = styles
        return styles


class _Turns:
    """When work done in slices lets the loop run: after `TURN_S` of slices, not after each.

    Each turn may wait behind whatever else the loop has to do (a refresh decoding its
    responses, on a busy machine): few turns keep a sort from taking seconds. A turn resumed
    with `sleep(0)` ran before the timers that came due meanwhile (asyncio queues those
    after the callbacks already ready), so two turns of 20 ms and a frame ran back to back:
    the 60 to 70 ms stalls while 100,000 rows were shown or sorted. Resumed by a timer of its
    own (`TURN_GAP_S`), a 10 ms turn waits its place, and a stall is about one turn and a
    frame.
    """

    def __init__(self) -> None:
        self._ends = perf_counter() + TURN_S

    async def between_slices(self) -> None:
        if perf_counter() < self._ends:
            return
        await asyncio.sleep(TURN_GAP_S)
        self._ends = perf_counter() + TURN_S


class CustomerTable(RowCursorTable, can_focus=True):
    """Customers, one per line, with a fixed header, a row cursor, sorting and filtering."""

    COMPONENT_CLASSES = {
        "customer-table--empty",
        *TONE_CLASSES.values(),
    }
    DEFAULT_CSS = """
    CustomerTable {
        height: 1fr;
        scrollbar-gutter: stable;
        & > .customer-table--active { color: $success; }
        & > .customer-table--active-soon { color: $warning; }
        & > .customer-table--recently-ended { color: $error; }
        & > .customer-table--no-status { text-style: dim; }
        & > .customer-table--empty { text-style: dim; }
        & > .customer-table--error { color: $error; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *ROW_CURSOR_BINDINGS,
        Binding(
            "enter",
            "select_cursor",
            "Open",
            tooltip="Open the customer's details",
            id="customer_table.select",
        ),
        Binding(
            "less_than_sign",
            "sort_previous_column",
            "Sort by the column on the left",
            key_display="<",
            group=_SORT_GROUP,
            show=False,
            id="customer_table.sort_previous",
        ),
        Binding(
            "greater_than_sign",
            "sort_next_column",
            "Sort by the column on the right",
            key_display=">",
            group=_SORT_GROUP,
            show=False,
            id="customer_table.sort_next",
        ),
        Binding(
            "minus",
            "reverse_sort",
            "Reverse the sort",
            key_display="-",
            show=False,
            id="customer_table.reverse",
        ),
    ]

    empty_text: reactive[str] = reactive("No customers")
    """Shown, centred and dim, when no row is shown."""

    class Highlighted(Message):
        """The cursor moved to another customer; `row` is None when no row is shown."""

        def __init__(self, table: CustomerTable, row: CustomerRow | None) -> None:
            super().__init__()
            self.customer_table = table
            self.row = row

        @property
        def control(self) -> CustomerTable:
            return self.customer_table

    class Selected(Message):
        """The user chose the customer under the cursor (enter, or a click on it)."""

        def __init__(self, table: CustomerTable, row: CustomerRow) -> None:
            super().__init__()
            self.customer_table = table
            self.row = row

        @property
        def control(self) -> CustomerTable:
            return self.customer_table

    class ViewMoved(Message):
        """The table scrolled or changed size: other rows may be in view (`rows_on_screen`)."""

    class RowsReplaced(Message):
        """The rows last given to `show` are the ones shown now: the counts may have changed."""

    class Filtered(Message):
        """Every match of the filter is found: `row_count` is its count (see `filtering`)."""

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        column, descending = DEFAULT_SORT
        self._listing = CustomerListing(column, descending=descending)
        self._data_widths: dict[CustomerColumn, int] = {}
        self._layout = layout_columns(0, self._data_widths)
        self._highlighted: CustomerRow | None = None
        self._incoming: IndexedRows | None = None
        """Rows given to `show` and still being indexed; the previous rows stay shown until then."""
        self._sort_asked: tuple[CustomerColumn, bool] | None = None
        """A sort (column, descending) waiting for its keys; the rows keep their order till then."""
        self._frame: RowLook | None = None
        """`_frame_look` of the frame being drawn."""
        self._drawn = DrawnLines(keep=KEPT_LINES)
        """The rows' lines drawn lately, by row, stripe and cursor, in the current look."""

    @property
    def replacing(self) -> bool:
        """True while rows given to `show` are being indexed: what is shown is the rows before."""
        return self._incoming is not None

    @property
    def row_count(self) -> int:
        """Rows shown, after filtering (while `filtering`, the matches found so far)."""
        return len(self._listing.rows)

    @property
    def filtering(self) -> bool:
        """True while the filter's first matches are shown and the rest are still being
        found between frames (over more than `AT_ONCE_ROWS` rows); `Filtered` follows."""
        return self._listing.filtering

    @property
    def total_count(self) -> int:
        """Rows given to `show`, before filtering."""
        return self._listing.total_count

    @property
    def visible_rows(self) -> Sequence[CustomerRow]:
        """The rows shown, filtered and sorted, top to bottom (while `filtering`, the first)."""
        return self._listing.rows

    def rows_on_screen(self, screen_height: int) -> Sequence[CustomerRow]:
        """The rows in view; while the table has no size yet (its tab never shown), the rows
        a screen `screen_height` lines high would show first."""
        height = self.scrollable_content_region.height - HEADER_HEIGHT
        if height <= 0:
            return self._listing.rows[:screen_height]
        top = self.scroll_offset.y
        return self._listing.rows[top : top + height]

    @property
    def current_row(self) -> CustomerRow | None:
        """The customer under the cursor, or None when no row is shown."""
        rows = self._listing.rows
        return rows[self._cursor] if rows else None

    @property
    def sort_column(self) -> CustomerColumn:
        """The column the rows are sorted by (`DEFAULT_SORT` until another is chosen)."""
        return self._listing.sort_column

    @property
    def sort_descending(self) -> bool:
        """True when the sort column runs from highest to lowest."""
        return self._listing.descending

    @property
    def shown_columns(self) -> tuple[CustomerColumn, ...]:
        """The columns that fit the current width, left to right."""
        return tuple(placed.column.key for placed in self._layout.columns)

    def show(self, rows: Sequence[CustomerRow]) -> None:
        """Replace the data, keeping the sort, the filter and the cursor's customer if shown.

        Up to `AT_ONCE_ROWS` rows are shown at once. More are indexed a slice at a time between
        frames while the rows shown so far stay on screen, sorted, filtered and moved through as
        before; then the new rows take their place in one frame (`RowsReplaced` says when).

        A cursor on the first row stays on the first row: while rows arrive newest first, a
        cursor that followed its customer down would scroll the newest out of sight.
        """
        incoming = IndexedRows(rows, self._listing.sort_column)
        if len(incoming.rows) > AT_ONCE_ROWS:
            self._incoming = incoming
            self._index_in_slices(incoming)
            return
        self._incoming = None  # rows still being indexed are older: they stop at their next slice
        widths: dict[CustomerColumn, int] = {}
        while not incoming.complete:
            widths = data_widths(incoming.index_slice(), at_least=widths)
        self._adopt(incoming, widths)

    @work(group="customer-table-indexing")
    async def _index_in_slices(self, incoming: IndexedRows) -> None:
        widths: dict[CustomerColumn, int] = {}
        turns = _Turns()
        while not incoming.complete:
            widths = data_widths(incoming.index_slice(), at_least=widths)
            await turns.between_slices()  # a frame, a key or a newer `show` may come in between
            if self._incoming is not incoming:
                return
        # Sorting every row is the longest part of taking them: it gets a step of its own.
        await asyncio.sleep(0)
        if self._incoming is not incoming:
            return
        if incoming.sort_column == self._listing.sort_column:
            incoming.sort(descending=self._listing.descending)
            await asyncio.sleep(0)
            if self._incoming is not incoming:
                return
        self._incoming = None
        self._adopt(incoming, widths)
        # The rows and their indexes live until the next rows, and hold no reference cycles:
        # out of the collector's sight, no collection walks their lists of 100,000 entries
        # (the first one after they were taken walked five of them, 40 to 50 ms of one step).
        gc.freeze()

    def _adopt(self, incoming: IndexedRows, widths: dict[CustomerColumn, int]) -> None:
        kept = self.current_row if self._cursor > 0 else None
        self._listing.adopt(incoming)
        self._data_widths = widths
        self._relayout()
        self._restore_cursor(kept, fallback=self._cursor)
        self.post_message(self.RowsReplaced())

    def filter(self, needle: str) -> None:
        """Show only customers whose name, email or ids contain `needle`, ignoring case.

        Over more than `AT_ONCE_ROWS` rows the matches a screen shows are found at once and the
        rest between frames (`filtering` until `Filtered`): a short needle matches most of
        100,000 rows, and reading them all held the keystroke for two frames or more.
        """
        listing = self._listing
        kept = listing.index_at(self._cursor)
        if listing.total_count <= AT_ONCE_ROWS:
            listing.filter(needle)
            self._update_row_count()
            self._keep_cursor(kept, fallback=0)
            return
        # The table shows no more rows than the screen has lines, even before it has a size.
        screen = max(self._body_height, self.app.size.height) + 1
        held = self.virtual_size.height
        position = listing.filter_first(needle, kept=kept, screen=screen)
        # Until every match is counted the scrollbar keeps its length (unless the matches so
        # far need more): drawing it again took a quarter of the keystroke's frame, and its
        # length from the first matches alone was wrong for those few frames anyway.
        self._update_row_count(at_least=held if listing.filtering else 0)
        self._set_cursor(0 if position is None else position)
        if listing.filtering:
            # After the frame with the first matches: the rest must not delay it.
            self.call_after_refresh(self._filter_rest)

    @work(group="customer-table-filtering", exclusive=True)
    async def _filter_rest(self) -> None:
        listing = self._listing
        scan = listing.pending_filter
        # Behind whatever came due while the frame was drawn, as between turns.
        await asyncio.sleep(TURN_GAP_S)
        turns = _Turns()
        # Until done, or replaced (a newer key, a sort, new rows: each counts its own).
        while scan is not None and listing.pending_filter is scan:
            known = self.row_count
            if listing.filter_more(SLICE_ROWS):
                self._filter_counted(known)
                return
            await turns.between_slices()  # a frame or a newer key may come in between

    def _settle_filter(self) -> None:
        """Every match of the filter found now, for what needs them all (a key that moves the
        cursor, a customer looked for)."""
        if self._listing.filtering:
            known = self.row_count
            self._listing.settle_filter()
            self._filter_counted(known)

    def _filter_counted(self, known: int) -> None:
        """Every match found, `known` of them shown before."""
        # The rows in view are among the first matches, already drawn (unless the table grew
        # meanwhile): only the scrollbar changes, and it repaints itself. A frame of the
        # table is most of a keystroke's work.
        in_view = self.scroll_offset.y + self._body_height
        self._update_row_count(repaint=in_view > known)
        self.post_message(self.Filtered())

    def sort_by(self, column: CustomerColumn | str) -> None:
        """Sort by `column` ascending; the same column again toggles the direction."""
        key = CustomerColumn(column)
        current, descending = self._latest_sort
        self._sort(key, descending=key == current and not descending)

    def move_to(self, stripe_customer_id: str) -> bool:
        """Put the cursor on that customer; False if it is not among the rows shown."""
        self._settle_filter()
        position = self._listing.position_of(stripe_customer_id)
        if position is None:
            return False
        self._set_cursor(position)
        return True

    @property
    def _latest_sort(self) -> tuple[CustomerColumn, bool]:
        """The sort last asked for, even if still waiting for its keys: keys pressed meanwhile
        (reverse, the next column) follow on from it."""
        return self._sort_asked or (self._listing.sort_column, self._listing.descending)

    def _sort(self, column: CustomerColumn, *, descending: bool) -> None:
        listing = self._listing
        if listing.total_count > AT_ONCE_ROWS and not listing.sort_prepared(
            column, descending=descending
        ):
            self._sort_asked = (column, descending)
            self._prepare_sort(column, descending)
            return
        self._sort_asked = None
        kept = listing.index_at(self._cursor)
        filtering = listing.filtering
        listing.sort(column, descending=descending)  # every match found again, in the new order
        self._keep_cursor(kept, fallback=0)
        if filtering:
            self._filter_counted(known=0)  # the rows were reordered: the cursor repaints them
        self.refresh_bindings()

    @work(group="customer-table-sorting")
    async def _prepare_sort(self, column: CustomerColumn, descending: bool) -> None:
        turns = _Turns()
        for _ in self._listing.prepare_sort(column, descending=descending):
            await turns.between_slices()  # a frame, a key or another sort may come in between
            if self._sort_asked != (column, descending):
                return
        self._sort(column, descending=descending)
        gc.freeze()  # the column's keys, as the rows they were made from (see `_index_in_slices`)

    def _before_cursor_key(self) -> None:
        self._settle_filter()

    def _restore_cursor(self, kept: CustomerRow | None, *, fallback: int) -> None:
        """The cursor back on `kept` among new rows, or at `fallback` if it is not shown."""
        position = None if kept is None else self._listing.position_of(kept.stripe_customer_id)
        self._set_cursor(fallback if position is None else position)

    def _keep_cursor(self, kept: int | None, *, fallback: int) -> None:
        """The cursor back on the row at index `kept` after a sort or a filter of the rows."""
        position = None if kept is None else self._listing.position_of_index(kept)
        self._set_cursor(fallback if position is None else position)

    def _cursor_moved(self) -> None:
        row = self.current_row
        if row != self._highlighted:
            self._highlighted = row
            self.post_message(self.Highlighted(self, row))

    def _relayout(self) -> None:
        self._layout = layout_columns(self.scrollable_content_region.width, self._data_widths)
        self._update_virtual_size()

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self._layout.width, self.row_count + HEADER_HEIGHT)
        self.refresh()

    def _update_row_count(self, *, repaint: bool = True, at_least: int = 0) -> None:
        """The virtual height after a filter (`at_least` lines), without laying out the
        screen again.

        Setting `virtual_size` lays out the whole screen (a reactive with `layout=True`), yet
        the table's place does not depend on how many rows it has: only its scrollbar does.
        `_scroll_update` (as `ScrollView` does on a resize) sets the scrollbar's size and
        keeps the scroll in range; should the scrollbar appear or go, its own reactive asks
        for the layout then.
        """
        size = Size(self._layout.width, max(self.row_count + HEADER_HEIGHT, at_least))
        # `_scroll_update` draws the scrollbar again, changed or not: not when it shows this
        # height already (a layout still to come may not have shown it yet).
        if (
            size != self.virtual_size
            or not self.show_vertical_scrollbar
            or self.vertical_scrollbar.window_virtual_size != size.height
        ):
            self.set_reactive(CustomerTable.virtual_size, size)
            self._scroll_update(size)
        if repaint:
            self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.post_message(self.ViewMoved())

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()
        self._set_cursor(self._cursor)
        self.post_message(self.ViewMoved())

    def _header_clicked(self, x: int) -> None:
        column = self._layout.column_at(x)
        if column is not None:
            self.sort_by(column)

    def action_select_cursor(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Selected(self, row))

    def action_sort_previous_column(self) -> None:
        self._sort_neighbour(-1)

    def action_sort_next_column(self) -> None:
        self._sort_neighbour(+1)

    def action_reverse_sort(self) -> None:
        column, descending = self._latest_sort
        self._sort(column, descending=not descending)

    def _sort_neighbour(self, step: int) -> None:
        column = neighbour_column(self._latest_sort[0], self.shown_columns, step)
        if column is not None:
            self._sort(column, descending=False)

    def render_lines(self, crop: Region) -> list[Strip]:
        # Every line of one frame has the same width and styles: work them out once, not per
        # line (the base style walks every ancestor's styles).
        self._frame = self._frame_look()
        try:
            if is_plain_box(self):
                # A row's line kept from a frame before comes back finished and filtered too.
                return finished_lines(self, crop, self.render_line)
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _frame_look(self) -> RowLook:
        """What every line of a frame is drawn with; the rows' lines kept are of this look."""
        base = self.rich_style
        component = self.get_component_rich_style
        look = RowLook(
            width=self.scrollable_content_region.width,
            scroll_x=self.scroll_offset.x,
            layout=self._layout,
            base=base,
            striped=base + component("row-table--zebra"),
            cursor=component("row-table--cursor"),
            tones=tuple(component(TONE_CLASSES[tone], partial=True) for tone in Tone),
        )
        self._drawn.use_look(look)
        return look

    def render_line(self, y: int) -> Strip:
        look = self._frame or self._frame_look()
        width, base = look.width, look.base
        if y >= HEADER_HEIGHT and not self._listing.rows:
            return self._empty_line(y, width, base)
        if y < HEADER_HEIGHT:
            listing = self._listing
            header_style = self.get_component_rich_style("row-table--header")
            sort_mark = (listing.sort_column, listing.descending, header_style)

            def draw_header() -> Strip:
                strip = header_strip(self._layout, *sort_mark)
                return strip.crop_extend(look.scroll_x, look.scroll_x + width, base)

            # Kept as the rows' lines are: the same strip comes back finished and filtered.
            return self._drawn.line(self._layout, sort_mark, draw_header)
        index = y - HEADER_HEIGHT + self.scroll_offset.y
        if index >= self.row_count:
            return Strip.blank(width, base)
        row = self._listing.rows[index]
        striped = index % 2 == 0
        on_cursor = index == self._cursor
        # A longer filter keeps the first matches: their lines come back as they were drawn.
        return self._drawn.line(
            row, (striped, on_cursor), lambda: self._row_line(row, look, striped, on_cursor)
        )

    @staticmethod
    def _row_line(row: CustomerRow, look: RowLook, striped: bool, on_cursor: bool) -> Strip:
        style_of_tone = look.cell_styles(striped=striped, on_cursor=on_cursor)

        def cell_style(column: Column) -> Style:
            return style_of_tone[column.tone(row)]

        strip = row_strip(row, look.layout, cell_style)
        if look.scroll_x == 0 and look.layout.width == look.width:
            return strip
        return strip.crop_extend(look.scroll_x, look.scroll_x + look.width, look.base)

    def _empty_line(self, y: int, width: int, base: Style) -> Strip:
        if self.replacing or y != HEADER_HEIGHT + (self._body_height - 1) // 2:
            # Rows are coming: saying there are none would be wrong for a moment.
            return Strip.blank(width, base)
        style = base + self.get_component_rich_style("customer-table--empty", partial=True)
        return centred_strip(self.empty_text, width, style, base)


__all__ = ["CustomerColumn", "CustomerTable"]
