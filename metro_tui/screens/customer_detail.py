"""One customer: its Stripe and Metronome identities, billings and contracts (`Esc` back)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from metro_tui.errors import BillingApiError
from metro_tui.models import Contract
from metro_tui.screens.account_feed import follow_account
from metro_tui.screens.messages import ContractRequested, CustomerLinkRequested
from metro_tui.screens.worker_failures import ReportsFailedWorkers
from metro_tui.services.contracts import ContractSummary
from metro_tui.services.money import format_cents
from metro_tui.services.provisioning import NOT_IN_METRONOME
from metro_tui.view_models import AccountView, CustomerDetail, CustomerRow
from metro_tui.widgets.key_footer import KeyFooter
from metro_tui.widgets.monthly_billings import MonthlyBillings
from metro_tui.widgets.provision_status import status_text

IncludedProducts = Callable[[Contract], Awaitable[tuple[str, ...]]]
"""Loads a contract's products from its rate schedule (the store provides it)."""

LOADING_PRODUCTS = "Loading products…"
UNLINKED_TEXT = (
    "This Stripe customer has no Metronome customer yet. Create a contract and metro-tui "
    "creates the Metronome customer from the Stripe name, with a Stripe billing configuration."
)


def _fields(pairs: Sequence[tuple[str, str | Content]]) -> Content:
    """Label / value lines, the values aligned one space after the longest label."""
    width = max(len(label) for label, _ in pairs) + 1
    return Content("\n").join(
        Content.assemble((f"{label:<{width}}", "$text-muted"), value) for label, value in pairs
    )


class ContractCard(Static):
    """A contract: display name, period with "(Active)", and the products it includes.

    The products come from the contract's rate schedule, one request per contract: until it
    answers the card says so, rather than show the contract's own list and then another.
    """

    DEFAULT_CSS = """
    ContractCard { padding: 0 1; margin-bottom: 1; height: auto; }
    ContractCard.-active { border-left: thick $success; }
    ContractCard.-inactive { border-left: thick $panel-lighten-2; }
    """

    def __init__(self, summary: ContractSummary, products: tuple[str, ...] | None = None) -> None:
        super().__init__(classes="-active" if summary.is_active else "-inactive")
        self.summary = summary
        self.products = products
        """The rate schedule's products; None until it answers."""
        self.products_note: str | None = None
        """Why the products shown are not the rate schedule's, if they are not."""

    def on_mount(self) -> None:
        self._draw()

    def show_products(self, products: Sequence[str]) -> None:
        self.products = tuple(products)
        self.products_note = None
        self._draw()

    def show_own_products(self, reason: str) -> None:
        """The rate schedule could not be loaded: the contract's own products, saying so."""
        self.products = self.summary.products
        self.products_note = (
            f"The contract's own products: its rate schedule could not be loaded ({reason})."
        )
        self._draw()

    def _draw(self) -> None:
        summary = self.summary
        if self.products is None:
            products = Content.styled(LOADING_PRODUCTS, "$text-muted")
        else:
            products = Content(", ".join(self.products) or "No products")
        lines = [
            Content.styled(summary.display_name, "bold"),
            Content.assemble(summary.period_text, (summary.active_suffix, "bold $success")),
            Content.assemble(("Products: ", "$text-muted"), products),
        ]
        if self.products_note is not None:
            lines.append(Content.styled(self.products_note, "$warning"))
        self.update(Content("\n").join(lines))


class CustomerDetailScreen(ReportsFailedWorkers, Screen[None]):
    """The customer detail view; it redraws itself from every account the app publishes."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="detail.back"),
        Binding(
            "n",
            "create_contract",
            "New contract",
            tooltip="Create a contract for the customer",
            id="detail.contract",
        ),
        Binding(
            "s",
            "open_stripe",
            "Stripe",
            tooltip="Open the customer in the Stripe Dashboard",
            id="detail.stripe",
        ),
        Binding(
            "m",
            "open_metronome",
            "Metronome",
            tooltip="Open the customer in the Metronome app",
            id="detail.metronome",
        ),
    ]
    DEFAULT_CSS = """
    CustomerDetailScreen #identities { height: auto; }
    CustomerDetailScreen .panel {
        border: round $primary 50%;
        border-title-color: $text-muted;
        padding: 0 1;
        height: auto;
        width: 1fr;
    }
    CustomerDetailScreen #contracts { height: 1fr; }
    CustomerDetailScreen #unlinked { color: $warning; padding: 1 1; height: auto; }
    CustomerDetailScreen #actions { height: 1; padding: 0 1; }
    CustomerDetailScreen #actions Button { margin-right: 2; }
    """

    def __init__(self, detail: CustomerDetail, included_products: IncludedProducts) -> None:
        super().__init__()
        self.detail = detail
        self._included_products = included_products
        self._known_products: dict[str, tuple[str, ...]] = {}
        """Products each contract's rate schedule gave, shown again at once on a redraw."""
        self._following = False
        """Whether the app has published an account, which the screen then draws from."""

    @property
    def row(self) -> CustomerRow:
        return self.detail.row

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="identities"):
            yield Static(id="stripe", classes="panel")
            yield Static(id="metronome", classes="panel")
        yield MonthlyBillings(id="billings", classes="panel")
        yield Static(UNLINKED_TEXT, id="unlinked")
        yield VerticalScroll(id="contracts", classes="panel")
        with Horizontal(id="actions"):
            yield Button(
                "Create contract (n)", id="create-contract", variant="primary", compact=True
            )
            yield Button("Open in Stripe (s)", id="open-stripe", compact=True)
            yield Button("Open in Metronome (m)", id="open-metronome", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#stripe").border_title = "Stripe"
        self.query_one("#metronome").border_title = "Metronome"
        self.query_one("#billings").border_title = "Monthly billings, last 12 months"
        follow_account(self, self._account_published)
        if not self._following:
            self.show(self.detail)  # shown on its own, with no account published

    def _account_published(self, account: AccountView) -> None:
        self._following = True
        self.show(account.detail(self.row))

    def show(self, detail: CustomerDetail) -> None:
        self.detail = detail
        row = detail.row
        self.sub_title = row.name or row.stripe_customer_id
        self.title = "Customer"
        self.query_one("#stripe", Static).update(
            _fields(
                [
                    ("Name", row.name or "—"),
                    ("Email", row.email or "—"),
                    ("Stripe ID", row.stripe_customer_id),
                    ("Date created", row.date_created.strftime("%Y-%m-%d")),
                ]
            )
        )
        self._show_metronome(row)
        linked = row.linked
        self.query_one("#billings").display = linked
        self.query_one("#contracts").display = linked
        self.query_one("#unlinked").display = not linked
        self.query_one("#open-metronome", Button).disabled = not linked
        if linked:
            self.query_one(MonthlyBillings).show(detail.billings_by_month)
            self._show_contracts(detail)

    def _show_metronome(self, row: CustomerRow) -> None:
        panel = self.query_one("#metronome", Static)
        if not row.linked or row.metronome_customer_id is None:
            panel.update(Content.styled(NOT_IN_METRONOME, "$text-muted"))
            return
        billings: str | Content = format_cents(row.lifetime_billings_cents or 0)
        if row.billings_error is not None:
            billings = Content.styled(f"Could not load: {row.billings_error}", "$error")
        elif row.billings_loading:
            billings = Content.styled("Loading…", "$text-muted")
        status = status_text(row.provision_status)
        if row.status_loading:
            status = Content.styled("Loading…", "$text-muted")
        elif row.status_error is not None:
            status = Content.styled(f"Could not load: {row.status_error}", "$error")
        panel.update(
            _fields(
                [
                    ("Customer ID", row.metronome_customer_id),
                    ("Lifetime billings", billings),
                    ("Provision status", status),
                ]
            )
        )

    def _show_contracts(self, detail: CustomerDetail) -> None:
        box = self.query_one("#contracts", VerticalScroll)
        box.border_title = f"Contracts ({len(detail.contracts)})"
        box.remove_children()
        if not detail.contracts:
            box.mount(Static("No contracts yet. Press n to create one.", classes="empty"))
            return
        cards = [
            ContractCard(summary, self._known_products.get(summary.contract_id))
            for summary in detail.contract_summaries
        ]
        box.mount_all(cards)
        self._load_products(detail.contracts, cards)

    @work(exclusive=True, group="contract-products", exit_on_error=False)
    async def _load_products(
        self, contracts: Sequence[Contract], cards: Sequence[ContractCard]
    ) -> None:
        """Products from each rate schedule; a contract whose load fails shows its own list."""
        for contract, card in zip(contracts, cards, strict=True):
            try:
                products = await self._included_products(contract)
            except BillingApiError as error:
                card.show_own_products(error.user_message)
                continue
            self._known_products[contract.id] = products
            card.show_products(products)

    def action_create_contract(self) -> None:
        self.post_message(ContractRequested(self.row))

    def action_open_stripe(self) -> None:
        self.post_message(CustomerLinkRequested(self.row, "stripe"))

    def action_open_metronome(self) -> None:
        if self.row.linked:
            self.post_message(CustomerLinkRequested(self.row, "metronome"))

    @on(Button.Pressed, "#create-contract")
    def _create_pressed(self) -> None:
        self.action_create_contract()

    @on(Button.Pressed, "#open-stripe")
    def _stripe_pressed(self) -> None:
        self.action_open_stripe()

    @on(Button.Pressed, "#open-metronome")
    def _metronome_pressed(self) -> None:
        self.action_open_metronome()
