"""Why is a customer missing? Every broken link between Metronome and Stripe, in plain words.

Computed from the snapshot the app already has (no requests). Each row names the customer,
its ids, what is wrong and what to do (the checks of the troubleshooting guide), and opens the
customer in Metronome (`m`) or Stripe (`s`).

One cause is shown once: a Metronome customer whose only Stripe configuration was archived
is reported as "Stripe configuration archived", not also as "No Stripe configuration", and the
Stripe customer that configuration named is not also reported as "No Metronome customer".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from metro_tui.links import metronome_customer_url, stripe_customer_url
from metro_tui.models import BillingConfiguration, MetronomeCustomer, StripeCustomer
from metro_tui.screens.messages import LinkRequested
from metro_tui.services.linking import LinkDiagnostics, link_diagnostics
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.widgets.key_footer import KeyFooter
from metro_tui.widgets.list_keys import ListActions, list_bindings

STRIPE_MISSING = "Stripe customer not found"
NO_STRIPE_CONFIGURATION = "No Stripe configuration"
CONFIGURATION_ARCHIVED = "Stripe configuration archived"
NO_METRONOME_CUSTOMER = "No Metronome customer"
CLAIMED_TWICE = "Stripe customer claimed twice"
EVERY_CUSTOMER_LINKED = "Every customer is linked."
RIGHT_ACCOUNT = (
    "The Customers tab shows only Stripe customers linked through a Stripe billing "
    "configuration in the connected Metronome account; check it is the right account (Settings)."
)


@dataclass(frozen=True)
class LinkProblem:
    """One reason a customer does not appear as linked, and what to do about it."""

    problem: str
    customer_name: str
    metronome_customer_id: str | None
    stripe_customer_id: str | None
    stripe_customer: StripeCustomer | None
    what_is_wrong: str
    what_to_do: str


def _missing_stripe(diagnostics: LinkDiagnostics) -> list[LinkProblem]:
    return [
        LinkProblem(
            STRIPE_MISSING,
            item.metronome_customer.name,
            item.metronome_customer.id,
            item.stripe_customer_id,
            None,
            f"Its Stripe billing configuration names {item.stripe_customer_id}, which this "
            "Stripe account does not have.",
            "Confirm the stripe_customer_id in the Metronome billing configuration matches the "
            "Stripe customer ID, and that the Stripe key is for the same mode (test or live).",
        )
        for item in diagnostics.missing_stripe_customers
    ]


def _archived(
    configurations: list[BillingConfiguration],
    customers: dict[str, MetronomeCustomer],
    stripe: dict[str, StripeCustomer],
) -> list[LinkProblem]:
    return [
        LinkProblem(
            CONFIGURATION_ARCHIVED,
            customers[config.customer_id].name,
            config.customer_id,
            config.stripe_customer_id,
            stripe.get(config.stripe_customer_id or ""),
            f"Its Stripe billing configuration for {config.stripe_customer_id} was archived on "
            f"{config.archived_at:%Y-%m-%d}, so the link no longer counts.",
            "If the customer should still be billed through Stripe, add a new Stripe billing "
            "configuration for it in Metronome.",
        )
        for config in configurations
    ]


def _no_configuration(customers: list[MetronomeCustomer]) -> list[LinkProblem]:
    return [
        LinkProblem(
            NO_STRIPE_CONFIGURATION,
            customer.name,
            customer.id,
            None,
            None,
            "It has no Stripe billing configuration in Metronome, so no Stripe customer "
            "links to it.",
            "Add a Stripe billing configuration with the customer's Stripe ID in Metronome.",
        )
        for customer in customers
    ]


def _no_metronome(customers: list[StripeCustomer]) -> list[LinkProblem]:
    return [
        LinkProblem(
            NO_METRONOME_CUSTOMER,
            customer.name or customer.id,
            None,
            customer.id,
            customer,
            "No Metronome customer in the connected account has a Stripe billing "
            f"configuration naming {customer.id}.",
            "Check you are connected to the right Metronome account. If so, create a contract "
            "for it (Customers, all customers), which creates its Metronome customer, or add "
            f"{customer.id} to an existing customer's billing configuration in Metronome.",
        )
        for customer in customers
    ]


def _conflicts(
    diagnostics: LinkDiagnostics, stripe: dict[str, StripeCustomer]
) -> list[LinkProblem]:
    return [
        LinkProblem(
            CLAIMED_TWICE,
            other.name,
            other.id,
            conflict.stripe_customer_id,
            stripe.get(conflict.stripe_customer_id),
            f"It and {conflict.winner.name} both name {conflict.stripe_customer_id}; the "
            f"earlier-created {conflict.winner.name} is the one linked.",
            "Remove the Stripe billing configuration from whichever customer should not bill "
            "through this Stripe customer.",
        )
        for conflict in diagnostics.conflicts
        for other in conflict.others
    ]


def link_problems(snapshot: AccountSnapshot) -> list[LinkProblem]:
    """Every broken link in the snapshot, grouped by problem, each cause once."""
    diagnostics = link_diagnostics(
        snapshot.stripe_customers,
        snapshot.metronome_customers,
        snapshot.all_billing_configurations(),
    )
    stripe = {customer.id: customer for customer in snapshot.stripe_customers}
    unlinked = {customer.id: customer for customer in diagnostics.metronome_without_stripe_config}
    # An archived configuration explains a missing customer only when nothing else links it.
    archived = [
        config
        for config in diagnostics.archived_stripe_configurations
        if config.customer_id in unlinked
    ]
    explained_customers = {config.customer_id for config in archived}
    explained_stripe_ids = {config.stripe_customer_id for config in archived}
    return [
        *_missing_stripe(diagnostics),
        *_no_configuration([c for c in unlinked.values() if c.id not in explained_customers]),
        *_archived(archived, unlinked, stripe),
        *_no_metronome(
            [c for c in diagnostics.stripe_without_metronome if c.id not in explained_stripe_ids]
        ),
        *_conflicts(diagnostics, stripe),
    ]


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

    def __init__(self, snapshot: AccountSnapshot) -> None:
        super().__init__()
        self.problems = link_problems(snapshot)
        self._summary = (
            f"{len(self.problems)} broken links among {len(snapshot.metronome_customers)} "
            f"Metronome and {len(snapshot.stripe_customers)} Stripe customers."
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
            )
            return
        # The customer's own livemode says which half of the Dashboard it lives in.
        livemode = problem.stripe_customer.livemode
        url = stripe_customer_url(problem.stripe_customer_id, livemode=livemode)
        self.post_message(LinkRequested("Stripe Dashboard", url, names_customer=True))

    def action_close(self) -> None:
        self.dismiss(None)
