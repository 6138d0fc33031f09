"""The Customers pane's count while a filter of many rows is still counting its matches."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.reactive import var
from textual.widgets import Label

from metro_tui.first_paint import FirstPaint
from metro_tui.screens.customers import CustomersPane
from metro_tui.view_models import AccountView
from metro_tui.widgets.customer_table import CustomerTable
from tests.ui.test_customer_table import counted, many_customers

ROWS = 25_000
"""More than the table filters at once."""


class PaneApp(App[None]):
    """The pane alone, with the app's reactives it follows, none of them published."""

    account: var[AccountView | None] = var(None)
    first_paint: var[FirstPaint | None] = var(None)
    load_failure: var[str | None] = var(None)

    def __init__(self) -> None:
        super().__init__()
        self.counts: list[tuple[bool, str]] = []

    def compose(self) -> ComposeResult:
        yield CustomersPane()

    def on_input_changed(self) -> None:
        """Right after the pane has handled a key (the message bubbles up from it)."""
        count = str(self.query_one("#customer-count", Label).render())
        self.counts.append((self.query_one(CustomerTable).filtering, count))


async def test_the_count_says_it_is_counting_until_every_match_is_found() -> None:
    app = PaneApp()
    async with app.run_test(size=(120, 30)) as pilot:
        pane = app.query_one(CustomersPane)
        pane.show(many_customers(ROWS))
        await app.workers.wait_for_complete()
        await pilot.pause()
        count = app.query_one("#customer-count", Label)
        assert str(count.render()) == "22,500 linked customers  ·  a: all Stripe customers"
        pane.action_focus_filter()
        await pilot.press(*"customer 1")
        table = pane.table
        await counted(pilot, table)
        await pilot.pause()
        hint = "  ·  a: all Stripe customers"
        # Each key showed its first matches, and said it was counting them.
        assert app.counts[-1] == (
            True,
            f"Counting the matches of “customer 1” among 22,500 linked customers…{hint}",
        )
        assert all(filtering for filtering, _count in app.counts)
        # 1, 10 to 19, 100 to 199, 1,000 to 1,999 and 10,000 to 19,999, less every tenth.
        assert table.row_count == 10_000
        assert str(count.render()) == (
            f"10,000 of 22,500 linked customers match “customer 1”{hint}"
        )
