"""Why is a customer missing? The broken links of the account the app already has, one per
row, with what to do about the highlighted one; `m` or `s` opens its customer in Metronome or
Stripe. The problems themselves are worked out in `services/link_problems.py`.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from metro_tui.links import metronome_customer_url, stripe_customer_url
from metro_tui.screens.messages import LinkRequested
from metro_tui.services.link_problems import LinkProblem
from metro_tui.view_models import LinkReport
from metro_tui.widgets.key_footer import KeyFooter
from metro_tui.widgets.list_keys import ListActions, list_bindings

EVERY_CUSTOMER_LINKED = "Every customer is linked."
RIGHT_ACCOUNT = (
    "The Customers tab shows only Stripe customers linked through a Stripe billing "
    "configuration in the connected Metronome account; check it is the right account (Settings)."
)


class ProblemTable(DataTable[str]):
    """The broken links, one per row, moved through with the keys every list answers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings(
            ListActions(
                up="cursor_up",
                down="cursor_down",
                page_up="page_up",
                page_down="page_down",
                first="scroll_top",
                last="scroll_bottom",
            ),
        )
    ]


class DiagnosticsScreen(Screen[None]):
    """Why is a customer missing? One row per broken link, with advice for the row."""

    BINDINGS = [
        Binding(
            "m",
            "open_metronome",
            "Metronome",
            tooltip="Open the customer in the Metronome app",
            id="diagnostics.metronome",
        ),
        Binding(
            "s",
            "open_stripe",
            "Stripe",
            tooltip="Open the customer in the Stripe Dashboard",
            id="diagnostics.stripe",
        ),
        Binding("escape", "close", "Close", id="diagnostics.close"),
    ]
    DEFAULT_CSS = """
    DiagnosticsScreen #diagnostics-summary { padding: 0 1; margin-top: 1; }
    DiagnosticsScreen DataTable { height: 1fr; margin-top: 1; }
    DiagnosticsScreen #advice {
        height: auto;
        min-height: 6;
        border: round $primary;
        border-title-color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, report: LinkReport) -> None:
        super().__init__()
        self.problems = report.problems
        self._summary = (
            f"{len(self.problems)} broken links among {report.metronome_customers} "
            f"Metronome and {report.stripe_customers} Stripe customers."
            if self.problems
            else EVERY_CUSTOMER_LINKED
        )

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(self._summary, id="diagnostics-summary")
        if self.problems:
            yield ProblemTable(cursor_type="row", zebra_stripes=True, id="problems")
        yield Static(id="advice")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Why is a customer missing?"
        if not self.problems:
            self._show_advice(None)
            return
        table = self.query_one(DataTable)
        # Stripe ids before the long Metronome UUIDs, so narrow terminals show both kinds.
        table.add_columns("Problem", "Customer", "Stripe ID", "Metronome ID")
        for problem in self.problems:
            table.add_row(
                problem.problem,
                problem.customer_name,
                problem.stripe_customer_id or "—",
                problem.metronome_customer_id or "—",
            )
        table.focus()
        self._show_advice(self.problems[0])

    def _show_advice(self, problem: LinkProblem | None) -> None:
        advice = self.query_one("#advice", Static)
        if problem is None:
            advice.border_title = "Still missing a customer?"
            advice.update(RIGHT_ACCOUNT)
            return
        advice.border_title = f"{problem.problem}: {problem.customer_name}"
        advice.update(
            Content("\n").join(
                [
                    Content.assemble(("What is wrong: ", "bold"), problem.what_is_wrong),
                    Content.assemble(("What to do: ", "bold"), problem.what_to_do),
                ]
            )
        )

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_advice(self.problems[event.cursor_row])

    @property
    def selected(self) -> LinkProblem | None:
        if not self.problems:
            return None
        return self.problems[self.query_one(DataTable).cursor_row]

    def action_open_metronome(self) -> None:
        problem = self.selected
        if problem is None or problem.metronome_customer_id is None:
            self.notify("This customer has no Metronome customer to open.", severity="warning")
            return
        url = metronome_customer_url(problem.metronome_customer_id)
        self.post_message(LinkRequested("Metronome app", url, names_customer=True))

    def action_open_stripe(self) -> None:
        problem = self.selected
        if problem is None or problem.stripe_customer_id is None:
            self.notify("This customer has no Stripe customer to open.", severity="warning")
            return
        if problem.stripe_customer is None:
            self.notify(
                f"This Stripe account has no customer {problem.stripe_customer_id}.",
                severity="warning",
                markup=False,
            )
            return
        # The customer's own livemode says which half of the Dashboard it lives in.
        livemode = problem.stripe_customer.livemode
        url = stripe_customer_url(problem.stripe_customer_id, livemode=livemode)
        self.post_message(LinkRequested("Stripe Dashboard", url, names_customer=True))

    def action_close(self) -> None:
        self.dismiss(None)
