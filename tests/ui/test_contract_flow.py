"""From the Customers tab to a created contract on the customer's detail view."""

from __future__ import annotations

from pathlib import Path

from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.drafts import DraftStore
from metro_tui.models import ProvisionStatus
from metro_tui.screens.contract_wizard import ContractWizard
from metro_tui.screens.customer_detail import CustomerDetailScreen
from metro_tui.session.connection import open_connection
from metro_tui.widgets.contracts_panel import ContractsPanel
from metro_tui.widgets.customer_table import CustomerTable
from tests.ui.keyboard import filter_customers
from tests.ui.seed_facts import linked_customers
from tests.ui.wizard_keys import fill_minimal, settle


async def test_a_contract_for_a_stripe_only_customer_shows_on_its_detail(
    settings: Settings, data_file: Path, tmp_path: Path
) -> None:
    drafts = DraftStore(tmp_path / "drafts")
    app = MetroApp(settings, open_connection(settings, local_data=data_file), drafts=drafts)
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2", "a")
        table = app.query_one(CustomerTable)
        linked = linked_customers(data_file)
        row = next(row for row in table.visible_rows if not row.linked)
        assert row.stripe_customer_id not in linked
        await filter_customers(pilot, row.stripe_customer_id)
        await pilot.press("enter", "n")
        await settle(pilot)
        assert isinstance(app.screen, ContractWizard)

        await fill_minimal(pilot, "Launch plan")
        await pilot.press("q")  # a stray letter on the wizard must not quit the app
        assert app.is_running and isinstance(app.screen, ContractWizard)
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)

        screen = app.screen
        assert isinstance(screen, CustomerDetailScreen)
        assert screen.row.stripe_customer_id == row.stripe_customer_id
        assert screen.row.metronome_customer_id is not None
        assert screen.row.provision_status is ProvisionStatus.ACTIVE
        cards = screen.query_one(ContractsPanel).cards
        assert [card.summary.display_name for card in cards] == ["Launch plan"]
        assert cards[0].summary.period_label == "Nov 24, 2026 – no end (Active)"
        assert drafts.load(row.stripe_customer_id) is None

        await pilot.press("escape", "a")
        now_linked = [
            r for r in table.visible_rows if r.stripe_customer_id == row.stripe_customer_id
        ]
        assert [r.provision_status for r in now_linked] == [ProvisionStatus.ACTIVE]
