"""A customer with no provision status reads the same in the table, the detail and the export.

"Not in Metronome" belongs to the Provision status column (a Stripe customer with no Metronome
customer has no contracts, so no status); its Lifetime billings cell is blank.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from metro_tui.cli import main
from metro_tui.config import Settings
from metro_tui.screens.customer_detail import CustomerDetailScreen
from metro_tui.widgets.customer_table import CustomerTable
from metro_tui.widgets.identities_panel import IdentitiesPanel
from tests.conftest import TEST_TODAY
from tests.ui.conftest import make_app
from tests.ui.keyboard import filter_customers
from tests.ui.seed_facts import linked_customers

NOT_PROVISIONED = "Not provisioned"


def _without_contracts(data_file: Path) -> str:
    """A linked customer with no contract at all (so with no provision status)."""
    return min(
        known.stripe_customer_id
        for known in linked_customers(data_file).values()
        if not known.contracts
    )


def _status_cell(table: CustomerTable, y: int) -> str:
    header = table.render_line(0).text
    return table.render_line(y).text[header.index("Provision status") :].strip()


def _billings_cell(table: CustomerTable, y: int) -> str:
    """Between the date and the status: the right-aligned amount, if any."""
    header = table.render_line(0).text
    start = header.index("Date created") + len("YYYY-MM-DD")
    return table.render_line(y).text[start : header.index("Provision status")].strip()


async def test_table_and_detail_say_not_provisioned(settings: Settings, data_file: Path) -> None:
    stripe_id = _without_contracts(data_file)
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("2")
        await filter_customers(pilot, stripe_id)
        await pilot.press("enter")
        table = app.query_one(CustomerTable)
        assert [row.stripe_customer_id for row in table.visible_rows] == [stripe_id]
        assert _status_cell(table, 1) == NOT_PROVISIONED
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CustomerDetailScreen)
        panel = app.screen.query_one(IdentitiesPanel).metronome.plain.splitlines()
        assert panel[-1] == f"Provision status  {NOT_PROVISIONED}"


async def test_an_unlinked_customer_is_not_in_metronome_in_the_status_column(
    settings: Settings, data_file: Path
) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        # Sorted by lifetime billings, the customers not in Metronome (no billings) come last.
        await pilot.press("2", "a", "greater_than_sign", "end")
        table = app.query_one(CustomerTable)
        assert table.current_row is not None and not table.current_row.linked
        y = 1 + table.cursor_index - int(table.scroll_offset.y)
        assert _billings_cell(table, y) == ""
        assert _status_cell(table, y) == "Not in Metronome"


@pytest.mark.parametrize("output_format", ["csv", "json"])
def test_export_says_not_provisioned(
    data_file: Path, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    stripe_id = _without_contracts(data_file)
    args = ["export", "customers", "--format", output_format, "--local", "--data", str(data_file)]
    assert main([*args, "--today", TEST_TODAY]) == 0
    out = capsys.readouterr().out
    records = json.loads(out) if output_format == "json" else list(csv.DictReader(io.StringIO(out)))
    statuses = {record["stripe_customer_id"]: record["provision_status"] for record in records}
    assert statuses[stripe_id] == NOT_PROVISIONED
