"""The virtual customer table: cursor keys, messages, sorting, filtering, layout and data swaps."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Footer

from metro_tui.customer_columns import COLUMN_BY_KEY, Tone
from metro_tui.models import ProvisionStatus
from metro_tui.view_models import CustomerRow
from metro_tui.widgets import customer_table
from metro_tui.widgets.customer_table import CustomerColumn, CustomerTable

ACTIVE = ProvisionStatus.ACTIVE
SOON = ProvisionStatus.ACTIVE_SOON
ENDED = ProvisionStatus.RECENTLY_ENDED


def customer(
    key: str,
    name: str,
    email: str,
    created: str,
    cents: int | None,
    status: ProvisionStatus | None,
    *,
    metronome_id: str | None = None,
) -> CustomerRow:
    return CustomerRow(
        stripe_customer_id=f"cus_{key}".ljust(18, "0"),
        metronome_customer_id=None if cents is None else metronome_id or f"mc-{key}-7f3e",
        name=name,
        email=email,
        date_created=datetime.fromisoformat(created).replace(tzinfo=UTC),
        lifetime_billings_cents=cents,
        provision_status=status,
    )


ACME = customer("acme", "Acme Corp", "billing@acme.example", "2025-06-10", 1_234_567, ACTIVE)
GLOBEX = customer("globex", "Globex", "ap@globex.example", "2025-03-02", 98_700, SOON)
INITECH = customer("initech", "Initech", "", "2025-01-15", None, None)
UMBRELLA = customer("umbrella", "Umbrella Ltd", "finance@umbrella.example", "2024-08-01", 0, ENDED)
HOOLI = customer("hooli", "hooli", "money@hooli.example", "2024-03-05", 98_700, ACTIVE)
STARK = customer(
    "stark", "Stark Industries International", "tony@stark.example", "2023-11-20", 5_000_000, None
)
WAYNE = customer("wayne", "Wayne Enterprises", "bruce@wayne.example", "2023-02-14", 250_000, ACTIVE)
ROWS = (ACME, GLOBEX, INITECH, UMBRELLA, HOOLI, STARK, WAYNE)
"""Newest first, as Stripe lists customers: the table's default order (Date created ▼)."""


def ids(rows: Sequence[CustomerRow]) -> list[str]:
    return [row.stripe_customer_id.removeprefix("cus_").rstrip("0") for row in rows]


class TableApp(App[None]):
    """One CustomerTable over the given rows, recording what it posts."""

    def __init__(self, rows: Sequence[CustomerRow] = ROWS) -> None:
        super().__init__()
        self.rows = rows
        self.highlighted: list[str | None] = []
        self.selected: list[str] = []
        self.filtered = 0
        """How often the table had found every match of its filter."""
        self.replaced = 0
        """How often the rows given to `show` took their place."""

    def compose(self) -> ComposeResult:
        yield CustomerTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(CustomerTable)
        table.show(self.rows)
        table.focus()

    def on_customer_table_highlighted(self, message: CustomerTable.Highlighted) -> None:
        self.highlighted.append(None if message.row is None else ids([message.row])[0])

    def on_customer_table_selected(self, message: CustomerTable.Selected) -> None:
        self.selected.append(ids([message.row])[0])

    def on_customer_table_filtered(self) -> None:
        self.filtered += 1

    def on_customer_table_rows_replaced(self) -> None:
        self.replaced += 1


def header(table: CustomerTable) -> str:
    return table.render_line(0).text


async def test_first_show_highlights_the_first_row() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(CustomerTable)
        assert app.highlighted == ["acme"]
        assert table.current_row == ACME
        assert (table.row_count, table.total_count) == (7, 7)
        assert ids(table.visible_rows) == [
            *("acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne"),
        ]
        assert ids(table.visible_rows[1:3]) == ["globex", "initech"]
        assert table.visible_rows[-1] == WAYNE


async def test_cursor_keys_move_and_post_highlighted() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        for key in ("j", "down", "j", "k", "up", "up", "G", "j", "g", "end", "home", "k"):
            await pilot.press(key)
        await pilot.pause()
        # "up" at the first row and "j" at the last do not move, so post nothing.
        assert app.highlighted == [
            *("acme", "globex", "initech", "umbrella", "initech", "globex", "acme"),
            *("wayne", "acme", "wayne", "acme"),
        ]
        assert app.query_one(CustomerTable).cursor_index == 0


async def test_enter_and_a_second_click_post_selected() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.press("j", "enter")
        await pilot.click(CustomerTable, offset=(5, 4))
        await pilot.pause()
        assert app.selected == ["globex"]
        assert app.highlighted[-1] == "umbrella"
        await pilot.click(CustomerTable, offset=(5, 4))
        await pilot.pause()
        assert app.selected == ["globex", "umbrella"]


SORTED_ASCENDING = {
    CustomerColumn.NAME: ["acme", "globex", "hooli", "initech", "stark", "umbrella", "wayne"],
    # Initech has no email: rows with no key come last in both directions.
    CustomerColumn.EMAIL: ["globex", "acme", "wayne", "umbrella", "hooli", "stark", "initech"],
    CustomerColumn.STRIPE_ID: ["acme", "globex", "hooli", "initech", "stark", "umbrella", "wayne"],
    CustomerColumn.DATE_CREATED: [
        *("wayne", "stark", "hooli", "umbrella", "initech", "globex", "acme"),
    ],
    # Globex and Hooli tie on $987.00 and keep the order given.
    CustomerColumn.LIFETIME_BILLINGS: [
        *("umbrella", "globex", "hooli", "wayne", "acme", "stark", "initech"),
    ],
    CustomerColumn.PROVISION_STATUS: [
        *("acme", "hooli", "wayne", "globex", "umbrella", "initech", "stark"),
    ],
}
SORTED_DESCENDING = {
    CustomerColumn.NAME: ["wayne", "umbrella", "stark", "initech", "hooli", "globex", "acme"],
    CustomerColumn.EMAIL: ["stark", "hooli", "umbrella", "wayne", "acme", "globex", "initech"],
    CustomerColumn.STRIPE_ID: ["wayne", "umbrella", "stark", "initech", "hooli", "globex", "acme"],
    CustomerColumn.DATE_CREATED: [
        *("acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne"),
    ],
    CustomerColumn.LIFETIME_BILLINGS: [
        *("stark", "acme", "wayne", "globex", "hooli", "umbrella", "initech"),
    ],
    CustomerColumn.PROVISION_STATUS: [
        *("umbrella", "globex", "acme", "hooli", "wayne", "initech", "stark"),
    ],
}
LABELS = {
    CustomerColumn.NAME: ("Name ▲", "Name ▼"),
    CustomerColumn.EMAIL: ("Email ▲", "Email ▼"),
    CustomerColumn.STRIPE_ID: ("Stripe ID ▲", "Stripe ID ▼"),
    CustomerColumn.DATE_CREATED: ("Date created ▲", "Date created ▼"),
    CustomerColumn.LIFETIME_BILLINGS: ("Lifetime billings ▲", "Lifetime billings ▼"),
    CustomerColumn.PROVISION_STATUS: ("Provision status ▲", "Provision status ▼"),
}


@pytest.mark.parametrize("column", list(CustomerColumn))
async def test_sort_by_a_column_then_again_reverses_it(column: CustomerColumn) -> None:
    app = TableApp()
    async with app.run_test(size=(120, 20)):
        table = app.query_one(CustomerTable)
        table.sort_by(column)
        assert ids(table.visible_rows) == SORTED_ASCENDING[column]
        assert LABELS[column][0] in header(table)
        table.sort_by(column.value)
        assert ids(table.visible_rows) == SORTED_DESCENDING[column]
        assert LABELS[column][1] in header(table)
        assert "▲" not in header(table)


async def test_the_default_sort_is_newest_first_and_marked_on_its_own_header() -> None:
    app = TableApp(rows=tuple(reversed(ROWS)))
    async with app.run_test(size=(120, 20)):
        table = app.query_one(CustomerTable)
        assert (table.sort_column, table.sort_descending) == (CustomerColumn.DATE_CREATED, True)
        assert ids(table.visible_rows) == SORTED_DESCENDING[CustomerColumn.DATE_CREATED]
        assert header(table).split() == [
            *("Name", "Email", "Stripe", "ID", "Date", "created", "▼"),
            *("Lifetime", "billings", "Provision", "status"),
        ]


@pytest.mark.parametrize("column", list(CustomerColumn))
@pytest.mark.parametrize("width", [120, 80])
async def test_the_sort_mark_sits_in_its_own_column_right_of_the_label(
    column: CustomerColumn, width: int
) -> None:
    app = TableApp()
    async with app.run_test(size=(width, 20)):
        table = app.query_one(CustomerTable)
        table.sort_by(column)
        line = header(table)
        if column not in table.shown_columns:
            assert "▲" not in line and "▼" not in line
            return
        label = LABELS[column][0].removesuffix(" ▲")
        mark = line.index("▲")
        assert mark == line.index(label) + len(label) + 1
        shown = list(table.shown_columns)
        if column is not shown[-1]:
            following = LABELS[shown[shown.index(column) + 1]][0].removesuffix(" ▲")
            # Both cells' padding lies between the mark and the next column's label.
            assert line.index(following) - mark >= 3


async def test_sort_keys_walk_the_columns_and_reverse() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(CustomerTable)
        await pilot.press("minus")
        assert (table.sort_column, table.sort_descending) == (CustomerColumn.DATE_CREATED, False)
        assert ids(table.visible_rows) == SORTED_ASCENDING[CustomerColumn.DATE_CREATED]
        await pilot.press("greater_than_sign")
        assert (table.sort_column, table.sort_descending) == (
            CustomerColumn.LIFETIME_BILLINGS,
            False,
        )
        await pilot.press("less_than_sign", "less_than_sign", "less_than_sign", "minus")
        assert (table.sort_column, table.sort_descending) == (CustomerColumn.EMAIL, True)
        assert ids(table.visible_rows) == SORTED_DESCENDING[CustomerColumn.EMAIL]
        await pilot.press("greater_than_sign")
        assert (table.sort_column, table.sort_descending) == (CustomerColumn.STRIPE_ID, False)
        # The cursor stays on its customer through every re-sort.
        assert table.current_row == ACME


async def test_sort_keys_skip_columns_too_narrow_to_show() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 20)) as pilot:
        table = app.query_one(CustomerTable)
        assert CustomerColumn.DATE_CREATED not in table.shown_columns
        await pilot.press("greater_than_sign")
        assert table.sort_column == CustomerColumn.LIFETIME_BILLINGS
        await pilot.press("greater_than_sign", "greater_than_sign")
        assert table.sort_column == CustomerColumn.PROVISION_STATUS
        await pilot.press("less_than_sign", "less_than_sign")
        assert table.sort_column == CustomerColumn.STRIPE_ID
        await pilot.press("less_than_sign", "less_than_sign")
        assert table.sort_column == CustomerColumn.NAME


async def test_clicking_a_header_sorts_by_it() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(CustomerTable)
        x = header(table).index("Lifetime billings")
        await pilot.click(CustomerTable, offset=(x, 0))
        await pilot.click(CustomerTable, offset=(x, 0))
        await pilot.pause()
        assert ids(table.visible_rows) == SORTED_DESCENDING[CustomerColumn.LIFETIME_BILLINGS]


async def test_filter_matches_name_email_and_both_ids_ignoring_case() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(CustomerTable)
        table.filter("HOOLI")
        assert ids(table.visible_rows) == ["hooli"]
        table.filter("cus_stark")
        assert ids(table.visible_rows) == ["stark"]
        table.filter("mc-wayne-7F3E")
        assert ids(table.visible_rows) == ["wayne"]
        table.filter("ex")
        assert ids(table.visible_rows) == ["acme", "globex", "umbrella", "hooli", "stark", "wayne"]
        table.filter("exa")
        table.filter("example")
        assert (table.row_count, table.total_count) == (6, 7)
        table.filter("n")
        assert ids(table.visible_rows) == [
            *("acme", "initech", "umbrella", "hooli", "stark", "wayne"),
        ]
        table.filter("")
        assert table.row_count == 7
        await pilot.pause()


async def test_filter_and_sort_combine_in_either_order() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 20)):
        table = app.query_one(CustomerTable)
        table.filter("ex")
        table.sort_by(CustomerColumn.LIFETIME_BILLINGS)
        table.sort_by(CustomerColumn.LIFETIME_BILLINGS)
        assert ids(table.visible_rows) == ["stark", "acme", "wayne", "globex", "hooli", "umbrella"]
        table.filter("exam")
        assert ids(table.visible_rows) == ["stark", "acme", "wayne", "globex", "hooli", "umbrella"]
        table.filter("i")
        assert ids(table.visible_rows) == ["stark", "acme", "wayne", "hooli", "umbrella", "initech"]
        table.filter("")
        assert ids(table.visible_rows) == SORTED_DESCENDING[CustomerColumn.LIFETIME_BILLINGS]


async def test_filter_keeps_or_resets_the_cursor_and_reports_no_match() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(CustomerTable)
        assert table.move_to(HOOLI.stripe_customer_id)
        table.filter("o")
        assert table.current_row == HOOLI
        table.filter("umbrella")
        assert table.current_row == UMBRELLA
        table.filter("no such customer")
        assert table.current_row is None
        assert not table.move_to(HOOLI.stripe_customer_id)
        table.filter("")
        await pilot.pause()
        assert app.highlighted == ["acme", "hooli", "umbrella", None, "acme"]


async def test_show_keeps_the_cursor_on_the_same_customer() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(CustomerTable)
        table.sort_by(CustomerColumn.NAME)
        table.filter("e")
        table.move_to(GLOBEX.stripe_customer_id)
        richer_globex = customer("globex", "Globex", "ap@globex.example", "2025-03-02", 1, SOON)
        newcomer = customer("aardvark", "Aardvark", "hi@aardvark.example", "2026-01-02", 5, None)
        table.show([newcomer, richer_globex, ACME, WAYNE])
        await pilot.pause()
        assert ids(table.visible_rows) == ["aardvark", "acme", "globex", "wayne"]
        assert table.current_row == richer_globex
        assert table.sort_column == CustomerColumn.NAME
        # The same customer with new figures is announced again, for views showing them.
        assert app.highlighted == ["acme", "globex", "globex"]


async def test_show_clamps_the_cursor_when_its_customer_is_gone() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 20)):
        table = app.query_one(CustomerTable)
        table.move_to(WAYNE.stripe_customer_id)
        table.show([ACME, GLOBEX, INITECH])
        assert table.current_row == INITECH
        table.show([])
        assert table.current_row is None
        assert table.cursor_index == 0


async def test_empty_table_shows_the_empty_text_centred() -> None:
    app = TableApp(rows=())
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(CustomerTable)
        table.empty_text = "No customers match “zzz”"
        await pilot.pause()
        height = table.scrollable_content_region.height
        lines = [table.render_line(y).text for y in range(height)]
        message_lines = [y for y, line in enumerate(lines) if "No customers match" in line]
        assert message_lines == [5]
        line = lines[5]
        left = len(line) - len(line.lstrip())
        right = len(line) - len(line.rstrip())
        assert abs(left - right) <= 1
        assert app.highlighted == []


async def test_figures_that_could_not_be_loaded_say_so_in_their_cells() -> None:
    billings_failed = dataclasses.replace(
        ACME, lifetime_billings_cents=None, billings_error="the server failed (HTTP 502)"
    )
    status_failed = dataclasses.replace(
        GLOBEX, provision_status=None, status_error="the request timed out"
    )
    app = TableApp(rows=(billings_failed, status_failed, INITECH))
    async with app.run_test(size=(120, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(CustomerTable)
        cells = [table.render_line(y).text.split("  ") for y in (1, 2, 3)]
        tails = [[cell.strip() for cell in line if cell.strip()][-2:] for line in cells]
        assert tails == [
            ["Could not load", "Active"],
            ["$987.00", "Could not load"],
            ["2025-01-15", "Not in Metronome"],  # in the status column; no billings
        ]
        billings, status = (
            COLUMN_BY_KEY[CustomerColumn.LIFETIME_BILLINGS],
            COLUMN_BY_KEY[CustomerColumn.PROVISION_STATUS],
        )
        assert [billings.tone(row) is Tone.ERROR for row in table.visible_rows] == [
            True,
            False,
            False,
        ]
        assert [status.tone(row) is Tone.ERROR for row in table.visible_rows] == [
            False,
            True,
            False,
        ]


@pytest.mark.parametrize(
    ("width", "columns"),
    [
        (120, list(CustomerColumn)),
        (100, [c for c in CustomerColumn if c is not CustomerColumn.EMAIL]),
        (
            80,
            [
                CustomerColumn.NAME,
                CustomerColumn.STRIPE_ID,
                CustomerColumn.LIFETIME_BILLINGS,
                CustomerColumn.PROVISION_STATUS,
            ],
        ),
    ],
)
async def test_columns_drop_email_then_date_as_the_width_shrinks(
    width: int, columns: list[CustomerColumn]
) -> None:
    app = TableApp()
    async with app.run_test(size=(width, 20)):
        table = app.query_one(CustomerTable)
        assert list(table.shown_columns) == columns
        assert table.virtual_size.width == table.scrollable_content_region.width


async def test_resize_relayouts_and_names_are_cut_with_an_ellipsis() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 20)) as pilot:
        table = app.query_one(CustomerTable)
        assert "Stark Industri…" in table.render_line(6).text
        await pilot.resize_terminal(120, 20)
        await pilot.pause()
        assert CustomerColumn.EMAIL in table.shown_columns
        assert "tony@stark.example" in table.render_line(6).text


class OneTableApp(App[None]):
    """An app of nothing but `table`."""

    def __init__(self, table: CustomerTable) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


@asynccontextmanager
async def alone_showing(
    table: CustomerTable, rows: Sequence[CustomerRow], size: tuple[int, int]
) -> AsyncIterator[Pilot[None]]:
    """`table` (a CustomerTable that counts what a test asks of it) alone on a screen of
    `size`, showing `rows`, indexed and drawn."""
    app = OneTableApp(table)
    async with app.run_test(size=size) as pilot:
        table.show(rows)
        await app.workers.wait_for_complete()
        await pilot.pause()
        yield pilot


def many_customers(count: int) -> list[CustomerRow]:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    statuses = (ACTIVE, SOON, ENDED, None)
    return [
        CustomerRow(
            stripe_customer_id=f"cus_{i:014d}",
            metronome_customer_id=None if i % 10 == 0 else f"m-{i:08d}",
            name=f"Customer {i}",
            email=f"billing{i}@example.com",
            date_created=start - timedelta(minutes=i),
            lifetime_billings_cents=None if i % 10 == 0 else i * 100,
            provision_status=statuses[i % 4],
        )
        for i in range(count)
    ]


async def test_page_keys_move_by_a_screenful_and_keep_the_cursor_visible() -> None:
    app = TableApp(rows=many_customers(100))
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(CustomerTable)
        body = table.scrollable_content_region.height - 1
        await pilot.press("pagedown", "pagedown")
        assert table.cursor_index == 2 * body
        assert table.scroll_offset.y <= table.cursor_index < table.scroll_offset.y + body
        await pilot.press("pageup")
        assert table.cursor_index == body
        await pilot.press("G")
        assert table.cursor_index == 99
        assert table.scroll_offset.y == 100 + 1 - table.scrollable_content_region.height
        last_line = table.scrollable_content_region.height - 1
        assert "Customer 99" in table.render_line(last_line).text


async def counted(pilot: Pilot[Any], table: CustomerTable) -> None:
    """Until the filter has found every match (it counts many rows between frames)."""
    while table.filtering:
        await pilot.pause()


async def test_a_hundred_thousand_customers_show_and_filter() -> None:
    app = TableApp(rows=())
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(CustomerTable)
        table.show(many_customers(100_000))
        await app.workers.wait_for_complete()
        assert (table.row_count, table.total_count) == (100_000, 100_000)
        table.filter("customer 9999")
        # 9999 and 99990..99999.
        assert table.row_count == 11
        table.filter("customer 99999")
        assert [row.stripe_customer_id for row in table.visible_rows] == ["cus_00000000099999"]
        table.filter("m-0001")
        await counted(pilot, table)
        # m-00010000..m-00019999, less the tenth of them not in Metronome.
        assert table.row_count == 9_000
        table.sort_by(CustomerColumn.LIFETIME_BILLINGS)
        table.sort_by(CustomerColumn.LIFETIME_BILLINGS)
        await app.workers.wait_for_complete()  # its keys, worked out a slice at a time
        assert (table.sort_column, table.sort_descending) == (
            CustomerColumn.LIFETIME_BILLINGS,
            True,
        )
        assert table.current_row is not None
        assert table.visible_rows[0].stripe_customer_id == "cus_00000000019999"
        await pilot.pause()


def _matching(rows: Sequence[CustomerRow], needle: str) -> list[str]:
    """The Stripe ids a filter of `needle` shows, newest first (the rows' own order)."""
    return [row.stripe_customer_id for row in rows if needle in f"{row.name}".casefold()]


@asynccontextmanager
async def many_rows_in() -> AsyncIterator[
    tuple[TableApp, Pilot[Any], CustomerTable, list[CustomerRow]]
]:
    """An app given more rows than a slice of work, once its table holds them all."""
    rows = many_customers(MORE_THAN_A_SLICE)
    app = TableApp(rows=rows)
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(CustomerTable)
        await app.workers.wait_for_complete()
        yield app, pilot, table, rows


async def test_a_filter_of_many_rows_shows_the_first_screen_then_counts_the_rest() -> None:
    async with many_rows_in() as (app, pilot, table, rows):
        expected = _matching(rows, "customer 1")
        table.filter("customer 1")
        # The screen's rows are the first matches, exactly; the count follows.
        assert table.filtering
        body = table.scrollable_content_region.height - 1
        shown = [row.stripe_customer_id for row in table.visible_rows]
        assert body <= len(shown) < len(expected)
        assert shown == expected[: len(shown)]
        assert table.current_row is not None
        assert table.current_row.stripe_customer_id == expected[0]
        await counted(pilot, table)
        assert [row.stripe_customer_id for row in table.visible_rows] == expected
        assert table.row_count == len(expected) == 11_111
        assert table.virtual_size.height == len(expected) + 1
        assert app.filtered == 1


class RepaintCountingTable(CustomerTable):
    """Counts the repaints of the whole table asked for."""

    repaints = 0

    def refresh(self, *regions: Region, **options: Any) -> RepaintCountingTable:
        if not regions:
            self.repaints += 1
        super().refresh(*regions, **options)
        return self


async def test_the_count_of_a_filter_of_many_rows_repaints_no_row() -> None:
    """The rows in view were drawn with the first matches; once all are found only the
    scrollbar changes (a frame of the table is most of a keystroke's work)."""
    rows = many_customers(MORE_THAN_A_SLICE)
    table = RepaintCountingTable()
    async with alone_showing(table, rows, (120, 20)) as pilot:
        table.filter("customer 1")
        shown, repaints = table.row_count, table.repaints
        await counted(pilot, table)
        assert table.row_count > shown
        assert table.vertical_scrollbar.window_virtual_size == table.row_count + 1
        assert table.repaints == repaints


async def test_a_key_typed_while_a_filter_of_many_rows_is_counted_wins() -> None:
    async with many_rows_in() as (app, pilot, table, rows):
        for needle in ("customer 1", "customer 12", "customer 2", "customer 24"):
            table.filter(needle)  # each before the one before has counted its matches
        await counted(pilot, table)
        await app.workers.wait_for_complete()
        assert [row.stripe_customer_id for row in table.visible_rows] == _matching(
            rows, "customer 24"
        )
        assert app.filtered == 1


async def test_keys_moving_the_cursor_while_a_filter_is_counted_move_among_every_match() -> None:
    async with many_rows_in() as (_app, pilot, table, rows):
        table.filter("customer 1")
        assert table.filtering
        await pilot.press("G")  # the last match of all, not of the first screen
        assert not table.filtering
        assert table.current_row is not None
        assert table.current_row.stripe_customer_id == _matching(rows, "customer 1")[-1]
        assert table.cursor_index == 11_110


async def test_a_sort_while_a_filter_of_many_rows_is_counted_shows_every_match() -> None:
    async with many_rows_in() as (app, pilot, table, rows):
        table.filter("customer 1")
        table.action_reverse_sort()  # oldest first: its order is worked out between frames
        await app.workers.wait_for_complete()
        assert (table.sort_column, table.sort_descending, table.filtering) == (
            CustomerColumn.DATE_CREATED,
            False,
            False,
        )
        expected = list(reversed(_matching(rows, "customer 1")))
        assert [row.stripe_customer_id for row in table.visible_rows] == expected
        assert table.virtual_size.height == len(expected) + 1
        await pilot.pause()
        assert app.filtered == 1


async def test_a_filter_keeps_the_cursor_on_its_customer_far_down_many_rows() -> None:
    async with many_rows_in() as (_app, pilot, table, rows):
        assert table.move_to("cus_00000000019000")
        table.filter("customer 1")
        expected = _matching(rows, "customer 1")
        assert table.current_row is not None
        assert table.current_row.stripe_customer_id == "cus_00000000019000"
        assert table.cursor_index == expected.index("cus_00000000019000")
        await pilot.pause()
        line = table.render_line(table.cursor_index - table.scroll_offset.y + 1).text
        assert "Customer 19000 " in line
        await counted(pilot, table)
        assert table.cursor_index == expected.index("cus_00000000019000")


async def test_work_in_slices_resumes_after_the_timers_due_during_its_turn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A frame's timer that came due while slices ran goes before the next turn: resumed
    ahead of it, two turns and a frame ran back to back (a stall of 60 to 70 ms)."""
    monkeypatch.setattr(customer_table, "TURN_S", 0.0)  # every slice ends its turn
    ran: list[str] = []
    asyncio.get_running_loop().call_later(0, ran.append, "timer")
    await customer_table._Turns().between_slices()
    ran.append("next turn")
    assert ran == ["timer", "next turn"]


MORE_THAN_A_SLICE = 25_000


async def test_many_rows_replace_the_rows_shown_only_once_all_are_indexed() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(CustomerTable)
        await pilot.pause()
        assert app.replaced == 1
        table.show(many_customers(MORE_THAN_A_SLICE))
        # Until the new rows are indexed the old ones stay on screen, with their count.
        assert table.replacing
        assert (table.total_count, ids(table.visible_rows)) == (7, ids(ROWS))
        assert "Acme Corp" in table.render_line(1).text
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not table.replacing
        assert (table.row_count, table.total_count, app.replaced) == (25_000, 25_000, 2)
        assert "Customer 0 " in table.render_line(1).text


async def test_a_filter_typed_while_rows_are_indexed_applies_to_them() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 20)):
        table = app.query_one(CustomerTable)
        table.show(many_customers(MORE_THAN_A_SLICE))
        table.filter("Customer 2499")
        assert table.row_count == 0  # among the seven shown until the new rows are in
        await app.workers.wait_for_complete()
        # Newest first: 2499, then 24990 to 24999.
        expected = [f"cus_{i:014d}" for i in (2499, *range(24990, 25000))]
        assert [row.stripe_customer_id for row in table.visible_rows] == expected


async def test_the_cursor_stays_on_its_customer_when_many_rows_replace_the_rows() -> None:
    rows = many_customers(MORE_THAN_A_SLICE)
    app = TableApp(rows=())
    async with app.run_test(size=(120, 20)):
        table = app.query_one(CustomerTable)
        table.show(rows)
        await app.workers.wait_for_complete()
        assert table.move_to("cus_00000000012345")
        # The same customers, and newer ones before them.
        newer = many_customers(MORE_THAN_A_SLICE + 3)[MORE_THAN_A_SLICE:]
        table.show([*reversed(newer), *rows])
        table.action_cursor_down()  # moved while indexing: the customer under it is kept
        await app.workers.wait_for_complete()
        assert table.current_row is not None
        assert table.current_row.stripe_customer_id == "cus_00000000012346"
        assert table.cursor_index == 12346


async def test_rows_given_later_win_over_rows_still_being_indexed() -> None:
    app = TableApp(rows=())
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(CustomerTable)
        table.show(many_customers(MORE_THAN_A_SLICE))
        table.show((GLOBEX, WAYNE))
        assert not table.replacing
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (table.total_count, ids(table.visible_rows)) == (2, ["globex", "wayne"])
        assert app.replaced == 2  # the empty rows at mount, then these two


@asynccontextmanager
async def many_rows_shown() -> AsyncIterator[tuple[TableApp, CustomerTable]]:
    """A table given more rows than it takes at once, once it has taken them all."""
    app = TableApp(rows=())
    async with app.run_test(size=(120, 20)):
        table = app.query_one(CustomerTable)
        table.show(many_customers(MORE_THAN_A_SLICE))
        await app.workers.wait_for_complete()
        yield app, table


async def test_a_sort_of_many_rows_waits_for_its_keys_and_keeps_keys_pressed_meanwhile() -> None:
    async with many_rows_shown() as (app, table):
        assert table.move_to("cus_00000000009998")
        table.sort_by(CustomerColumn.NAME)
        # Until the names' keys are worked out the rows keep their order, and say so.
        assert (table.sort_column, table.sort_descending) == (CustomerColumn.DATE_CREATED, True)
        assert table.cursor_index == 9998
        table.action_reverse_sort()  # reverses the sort asked for, by name
        await app.workers.wait_for_complete()
        assert (table.sort_column, table.sort_descending) == (CustomerColumn.NAME, True)
        assert ids(table.visible_rows[:2]) == ["00000000009999", "00000000009998"]
        assert table.current_row is not None
        assert table.current_row.stripe_customer_id == "cus_00000000009998"
        assert table.cursor_index == 1


async def test_many_rows_once_taken_are_left_out_of_the_collectors_walks() -> None:
    async with many_rows_shown() as (_app, table):
        shown = table.visible_rows
        try:
            # Frozen: in none of the generations a collection walks.
            assert len(shown) == MORE_THAN_A_SLICE
            assert gc.is_tracked(shown)
            assert not any(tracked is shown for tracked in gc.get_objects())
        finally:
            gc.unfreeze()


async def test_a_sort_of_many_rows_once_taken_is_left_out_of_the_collectors_walks() -> None:
    async with many_rows_shown() as (app, table):
        gc.unfreeze()
        table.sort_by(CustomerColumn.NAME)
        await app.workers.wait_for_complete()
        shown = table.visible_rows
        try:
            assert table.sort_column == CustomerColumn.NAME
            # By name as text: "Customer 0", "Customer 1", "Customer 10".
            assert [row.stripe_customer_id for row in shown[:3]] == [
                "cus_00000000000000",
                "cus_00000000000001",
                "cus_00000000000010",
            ]
            assert not any(tracked is shown for tracked in gc.get_objects())
        finally:
            gc.unfreeze()


async def test_no_customers_is_not_said_while_the_first_rows_are_indexed() -> None:
    app = TableApp(rows=())
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(CustomerTable)
        await pilot.pause()
        body = range(1, table.scrollable_content_region.height)
        assert any("No customers" in table.render_line(y).text for y in body)
        table.show(many_customers(MORE_THAN_A_SLICE))
        assert [table.render_line(y).text.strip() for y in body] == [""] * len(body)
        await app.workers.wait_for_complete()


def test_snapshot_wide(snap_compare: Any) -> None:
    assert snap_compare(TableApp(), terminal_size=(120, 40))


def test_snapshot_narrow(snap_compare: Any) -> None:
    assert snap_compare(TableApp(), terminal_size=(80, 24))


def test_snapshot_sorted_by_lifetime_billings_descending(snap_compare: Any) -> None:
    async def sort_descending(pilot: Pilot[Any]) -> None:
        table = pilot.app.query_one(CustomerTable)
        table.sort_by(CustomerColumn.LIFETIME_BILLINGS)
        await pilot.press("j", "minus")

    assert snap_compare(TableApp(), terminal_size=(120, 24), run_before=sort_descending)


async def test_a_cursor_on_the_first_row_stays_there_as_rows_arrive() -> None:
    app = TableApp(rows=(GLOBEX, WAYNE))
    async with app.run_test(size=(120, 20)):
        table = app.query_one(CustomerTable)
        assert table.current_row == GLOBEX
        table.show([ACME, GLOBEX, WAYNE])
        assert table.current_row == ACME
        table.move_to(WAYNE.stripe_customer_id)
        table.show([INITECH, ACME, GLOBEX, WAYNE])
        assert table.current_row == WAYNE


async def test_a_filter_lays_out_the_screen_only_when_the_scrollbar_comes_or_goes() -> None:
    app = TableApp(rows=many_customers(100))
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(CustomerTable)
        await pilot.press("end")
        await pilot.pause()
        assert (table.scroll_offset.y, table.show_vertical_scrollbar) == (90, True)
        layouts = table._layout_updates
        table.filter("customer 1")  # 1 and 10 to 19: still more rows than fit
        assert table._layout_updates == layouts
        assert table.virtual_size.height == 11 + 1
        assert table.vertical_scrollbar.window_virtual_size == 12
        assert (table.cursor_index, table.scroll_offset.y) == (0, 0)  # row 99 is filtered out
        await pilot.pause()
        assert "Customer 1 " in table.render_line(1).text
        table.filter("customer 12")  # one row: the scrollbar goes, which needs a layout
        assert table._layout_updates == layouts + 1
        await pilot.pause()
        assert (table.scroll_offset.y, table.show_vertical_scrollbar) == (0, False)
        assert "Customer 12 " in table.render_line(1).text


class StyleCountingTable(CustomerTable):
    """Counts how often its base style is worked out (it walks every ancestor's styles)."""

    style_reads = 0

    @property
    def rich_style(self) -> Style:
        self.style_reads += 1
        return super().rich_style


async def test_a_frame_works_out_the_base_style_once_for_all_its_lines() -> None:
    table = StyleCountingTable()
    async with alone_showing(table, many_customers(100), (160, 48)):
        table.refresh()  # every line to draw again
        table.style_reads = 0
        lines = table.render_lines(Region(0, 0, table.size.width, table.size.height))
        assert len(lines) == 48
        assert table.style_reads == 1
        # Drawn one at a time, as a test or a caller may, a line is the same.
        line = table.render_line(2)
        assert table.style_reads == 2
        assert line.text.startswith(" Customer 1 ")
        assert lines[2].text.startswith(line.text)
