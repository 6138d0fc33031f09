"""The customer table keeps its rows' drawn lines between frames: a line comes back only while
everything it was drawn with (row, stripe, cursor, width, scroll, columns, styles) holds."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip

from metro_tui.view_models import CustomerRow
from metro_tui.widgets.customer_table import CustomerTable, RowLook
from tests.ui.test_customer_table import (
    alone_showing,
    counted,
    many_customers,
    many_rows_in,
)


class DrawCountingTable(CustomerTable):
    """Counts the rows' lines drawn, not found among the lines kept."""

    drawn: list[str]

    def _row_line(  # type: ignore[override]
        self, row: CustomerRow, look: RowLook, striped: bool, on_cursor: bool
    ) -> Strip:
        self.drawn.append(row.name)
        return CustomerTable._row_line(row, look, striped, on_cursor)


class DrawCountingApp(App[None]):
    def __init__(self, rows: list[CustomerRow], *, focused: bool = True) -> None:
        super().__init__()
        self.rows = rows
        self.focused_at_start = focused

    def compose(self) -> ComposeResult:
        table = DrawCountingTable()
        table.drawn = []
        yield table

    def on_mount(self) -> None:
        table = self.query_one(DrawCountingTable)
        table.show(self.rows)
        if self.focused_at_start:
            table.focus()


def body_lines(table: CustomerTable) -> list[Strip]:
    return [table.render_line(y) for y in range(1, table.scrollable_content_region.height)]


def first_style(strip: Strip) -> Style | None:
    return next(iter(strip)).style


def row_style(table: CustomerTable, *, striped: bool, cursor: bool) -> Style:
    """A row's own style (a cell with no tone), as a table drawing it afresh works it out."""
    style = table.rich_style
    if striped:
        style += table.get_component_rich_style("row-table--zebra")
    if cursor:
        style += table.get_component_rich_style("row-table--cursor")
    return style


async def test_a_longer_filter_that_keeps_the_rows_draws_none_of_their_lines_again() -> None:
    app = DrawCountingApp(many_customers(100))
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(DrawCountingTable)
        table.filter("customer 1")  # 1 and 10 to 19
        await pilot.pause()
        body_lines(table)
        table.drawn.clear()
        table.filter("customer 1")  # the same rows: every line as drawn
        lines = body_lines(table)
        assert table.drawn == []
        assert [line.text.split("  ")[0].strip() for line in lines[:3]] == [
            "Customer 1",
            "Customer 10",
            "Customer 11",
        ]


async def test_a_longer_filter_that_keeps_the_rows_gives_the_same_finished_lines() -> None:
    app = DrawCountingApp(many_customers(100))
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(DrawCountingTable)
        table.filter("customer 1")
        await pilot.pause()
        crop = Region(0, 0, *table.size)
        before = table.render_lines(crop)
        table.filter("customer 1")  # the same rows: a refresh of the whole table
        after = table.render_lines(crop)
        # The very strips, the header's too: fitted, filtered and cut by the compositor as in
        # the frame before.
        assert [line is kept for line, kept in zip(after, before, strict=True)] == [True] * 12


async def test_the_header_is_drawn_again_for_a_new_sort_only() -> None:
    app = DrawCountingApp(many_customers(100))
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(DrawCountingTable)
        await pilot.pause()
        header = table.render_line(0)
        table.filter("customer")
        assert table.render_line(0) is header
        table.sort_by("name")
        resorted = table.render_line(0)
        assert resorted is not header
        assert "Name ▲" in resorted.text
        assert "Name ▲" not in header.text


async def test_the_cursor_moving_draws_again_the_two_lines_it_left_and_reached() -> None:
    app = DrawCountingApp(many_customers(100))
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(DrawCountingTable)
        await pilot.pause()
        body_lines(table)
        table.drawn.clear()
        await pilot.press("down")
        lines = body_lines(table)
        assert table.drawn == ["Customer 0", "Customer 1"]
        assert first_style(lines[0]) == row_style(table, striped=True, cursor=False)
        assert first_style(lines[1]) == row_style(table, striped=False, cursor=True)


async def test_a_row_moved_to_a_line_of_the_other_stripe_is_drawn_with_that_stripe() -> None:
    app = DrawCountingApp(many_customers(100))
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(DrawCountingTable)
        await pilot.pause()
        line = body_lines(table)[10]  # the eleventh row: striped
        assert "Customer 10 " in line.text
        assert first_style(line) == row_style(table, striped=True, cursor=False)
        table.filter("customer 1")  # 1, then 10: the second row, not striped
        line = body_lines(table)[1]
        assert "Customer 10 " in line.text
        assert first_style(line) == row_style(table, striped=False, cursor=False)
        table.filter("customer")  # back on its eleventh line
        line = body_lines(table)[10]
        assert "Customer 10 " in line.text
        assert first_style(line) == row_style(table, striped=True, cursor=False)


async def test_lines_are_drawn_again_at_a_new_width() -> None:
    app = DrawCountingApp(many_customers(100))
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(DrawCountingTable)
        await pilot.pause()
        assert "billing3@example.com" in body_lines(table)[3].text
        await pilot.resize_terminal(70, 12)  # too narrow for the email column
        await pilot.pause()
        line = body_lines(table)[3]
        assert line.cell_length == table.scrollable_content_region.width
        assert "Customer 3 " in line.text
        assert "billing3@example.com" not in line.text


async def test_lines_are_drawn_again_scrolled_sideways() -> None:
    app = DrawCountingApp(many_customers(100))
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(DrawCountingTable)
        await pilot.pause()
        assert body_lines(table)[3].text.startswith(" Customer 3 ")
        table.scroll_to(x=10, animate=False, immediate=True)
        await pilot.pause()
        assert table.scroll_offset.x == 10
        assert not body_lines(table)[3].text.startswith(" Customer 3 ")


async def test_the_cursor_line_is_drawn_again_when_the_table_takes_the_focus() -> None:
    app = DrawCountingApp(many_customers(100), focused=False)
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(DrawCountingTable)
        app.set_focus(None)
        await pilot.pause()
        assert not table.has_focus
        blurred = first_style(body_lines(table)[0])
        assert blurred == row_style(table, striped=True, cursor=True)
        table.focus()
        await pilot.pause()
        focused = first_style(body_lines(table)[0])
        assert focused == row_style(table, striped=True, cursor=True)
        assert focused != blurred


async def test_new_rows_of_wider_amounts_draw_every_line_in_the_new_columns() -> None:
    rows = many_customers(100)
    app = DrawCountingApp(rows)
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(DrawCountingTable)
        await pilot.pause()
        before = body_lines(table)[1].text
        # One far larger amount widens the billings column: the kept rows are cut differently.
        richest = CustomerRow(
            stripe_customer_id="cus_99999999999999",
            metronome_customer_id="m-rich",
            name="Richest",
            email="rich@example.com",
            date_created=rows[-1].date_created,
            lifetime_billings_cents=10**15,
            provision_status=None,
        )
        table.show([*rows, richest])
        await pilot.pause()
        after = body_lines(table)[1].text
        assert before != after
        assert before.split()[:2] == after.split()[:2] == ["Customer", "1"]
        assert table.row_count == 101


async def test_a_filter_of_many_rows_keeps_the_scrollbar_until_every_match_is_counted() -> None:
    """Drawing the scrollbar again was a quarter of a keystroke's frame; its length from the
    first matches alone was wrong anyway until the count."""
    async with many_rows_in() as (_app, pilot, table, rows):
        await pilot.pause()
        scrollbar = table.vertical_scrollbar
        assert scrollbar.window_virtual_size == len(rows) + 1
        table.filter("customer 1")
        assert table.filtering
        assert scrollbar.window_virtual_size == len(rows) + 1
        await counted(pilot, table)
        assert scrollbar.window_virtual_size == table.row_count + 1 == 11_111 + 1


class ScrollUpdateCountingTable(CustomerTable):
    """Counts the scrollbar updates asked for (each draws the scrollbar again)."""

    scroll_updates = 0

    def _scroll_update(self, *args: Any, **kwargs: Any) -> None:
        self.scroll_updates += 1
        super()._scroll_update(*args, **kwargs)


async def test_a_filter_with_as_many_matches_leaves_the_scrollbar_alone() -> None:
    table = ScrollUpdateCountingTable()
    async with alone_showing(table, many_customers(100), (120, 12)):
        table.filter("customer 1")
        updates = table.scroll_updates
        table.filter("customer")
        table.filter("custome")  # 100 matches, as before
        assert table.scroll_updates == updates + 1
