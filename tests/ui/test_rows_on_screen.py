"""The Customers view tells the store which customers are on screen, for a load to fetch first."""

from __future__ import annotations

from pathlib import Path

from metro_tui.config import Settings
from metro_tui.screens.customer_detail import CustomerDetailScreen
from metro_tui.view_models import CustomerRow
from metro_tui.widgets.customer_table import CustomerTable
from tests.ui.conftest import make_app

HEIGHT = 16


def _ids(rows: list[CustomerRow]) -> tuple[str, ...]:
    return tuple(row.metronome_customer_id for row in rows if row.metronome_customer_id)


async def test_the_rows_in_view_and_the_open_customer_are_fetched_first(
    settings: Settings, data_file: Path
) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, HEIGHT)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.query_one(CustomerTable)
        rows = list(table.visible_rows)
        assert len(rows) > HEIGHT
        # The Overview is shown: the first screen of rows, in the table's default order.
        assert app.store.fetch_first == _ids(rows[:HEIGHT])

        await pilot.press("2")
        await pilot.pause()
        in_view = table.scrollable_content_region.height - 1
        assert 0 < in_view < HEIGHT
        assert app.store.fetch_first == _ids(rows[:in_view])

        await pilot.press("end")
        await pilot.pause()
        assert app.store.fetch_first == _ids(rows[-in_view:])

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CustomerDetailScreen)
        assert app.store.fetch_first == (rows[-1].metronome_customer_id, *_ids(rows[-in_view:]))
