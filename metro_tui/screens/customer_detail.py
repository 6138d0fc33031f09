"""One customer's page: its Stripe and Metronome identities, billings, every contract with its
terms and balances, and its invoices (`Esc` back).

The terms, balances and invoices of every status are loaded when the page opens (the
account-wide sync keeps only what the lists and figures need); a page loaded before is shown
at once meanwhile."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.widgets import Button, Header, Static

from metro_tui.errors import BillingApiError
from metro_tui.models import Contract
from metro_tui.page_records import CustomerPage, PageInvoice
from metro_tui.screens.account_feed import follow_account
from metro_tui.screens.customer_page_text import (
    STILL_LOADING,
    UNLINKED_TEXT,
    invoice_note,
    metronome_identity,
    stripe_identity,
)
from metro_tui.screens.invoice import InvoiceScreen
from metro_tui.screens.messages import ContractRequested, CustomerLinkRequested
from metro_tui.screens.staged_screen import StagedScreen
from metro_tui.screens.worker_failures import ReportsFailedWorkers
from metro_tui.view_models import AccountView, CustomerDetail, CustomerRow
from metro_tui.widgets.blank_background import BlankBackground
from metro_tui.widgets.contract_card import ContractCard, Terms
from metro_tui.widgets.contracts_panel import ContractsPanel
from metro_tui.widgets.identities_panel import IdentitiesPanel
from metro_tui.widgets.invoice_table import InvoiceTable
from metro_tui.widgets.key_footer import KeyFooter
from metro_tui.widgets.monthly_billings import MonthlyBillings
from metro_tui.widgets.page_scroll import PageScroll

IncludedProducts = Callable[[Contract], Awaitable[tuple[str, ...]]]
"""Loads a contract's products from its rate schedule (the store provides it)."""
PageLoader = Callable[[str], Awaitable[CustomerPage]]
"""Loads a Metronome customer's page records (the store provides it, and keeps them)."""


SIDE_BY_SIDE_WIDTH = 2 * (len("Lifetime billings ") + len(str(uuid.UUID(int=0))) + 4) + 2
"""The narrowest screen with the Stripe and Metronome panels side by side: each half holds a
Metronome customer id on one line beside its label (borders, padding, and the scrollbar)."""


class CustomerPageScroll(BlankBackground, PageScroll):
    """The page's scrolling body: its panels draw everything, so its own lines, laid out anew
    in every frame that the page grows, are drawn as blank strips."""


class CustomerDetailScreen(BlankBackground, ReportsFailedWorkers, StagedScreen):
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
        Binding(
            "v",
            "open_invoice",
            "View invoice",
            tooltip="Open the invoice under the cursor, with its line items",
            id="detail.invoice",
        ),
        Binding(
            "i",
            "focus_invoices",
            "Invoices",
            tooltip="Move to the invoices; Tab moves back to the page",
            id="detail.invoices",
        ),
    ]
    FOOTER_LAST = ("detail.metronome", "detail.stripe", "detail.contract")
    """Keys the page's buttons show too ("Create contract (n)"): the footer drops them first,
    so a narrow one still shows how to open an invoice."""
    DEFAULT_CSS = """
    CustomerDetailScreen #identities { height: auto; }
    CustomerDetailScreen .panel {
        border: round $primary 50%;
        border-title-color: $text-muted;
        padding: 0 1;
        height: auto;
        width: 1fr;
    }
    CustomerDetailScreen #page { height: 1fr; }
    CustomerDetailScreen #page.-loads-terms { scrollbar-gutter: stable; }
    CustomerDetailScreen #invoice-note { color: $text-muted; height: auto; }
    CustomerDetailScreen #unlinked { color: $warning; padding: 1 1; height: auto; }
    CustomerDetailScreen #actions { height: 1; padding: 0 1; }
    CustomerDetailScreen #actions Button { margin-right: 2; }
    CustomerDetailScreen #actions.-later { display: none; }
    """

    def __init__(
        self,
        detail: CustomerDetail,
        included_products: IncludedProducts,
        load_page: PageLoader | None = None,
    ) -> None:
        super().__init__()
        self.detail = detail
        self._included_products = included_products
        self._load_page = load_page
        self._page: CustomerPage | None = None
        """The page loaded by this screen, until the account published carries it too."""
        self._page_error: str | None = None
        """Why the page could not be loaded, for the customer shown."""
        self._page_requested_for: str | None = None
        """The Metronome customer whose page this screen has asked for (once per customer)."""
        self._known_products: dict[str, tuple[str, ...]] = {}
        """Products each contract's rate schedule gave, shown again at once on a redraw."""
        self._following = False
        """Whether the app has published an account, which the screen then draws from."""
        self._invoices_awaited = False
        """`i` was pressed before the invoices arrived: move to them when they do."""
        self._cards: list[ContractCard] = []
        """The cards of the contracts shown, in order, from when they are built."""
        self._cards_may_draw: list[ContractCard] | None = None
        """Cards whose drawing waits only for their terms (the footer's keys are drawn)."""
        self._invoices_held = False
        """The invoices wait for the cards' frame: drawn in the same frame, the cards and the
        200-row table would be one long step of the event loop."""

    @property
    def row(self) -> CustomerRow:
        return self.detail.row

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A customer not in Metronome has no invoices: their keys leave the footer.
        if action in ("open_invoice", "focus_invoices"):
            return self.row.linked
        return True

    def compose(self) -> ComposeResult:
        yield Header()
        # Set here, not first in `show`: a class added after compose restyles the whole page.
        with CustomerPageScroll(id="page", classes="-loads-terms" if self.row.linked else ""):
            yield IdentitiesPanel(id="identities", classes=self._identities_class(self.app.size))
            yield MonthlyBillings(id="billings", classes="panel")
            yield Static(UNLINKED_TEXT, id="unlinked")
            yield ContractsPanel(id="contracts", classes="panel")
            with Vertical(id="invoices-panel", classes="panel"):
                yield Static(id="invoice-note")
                yield InvoiceTable(id="invoices")
        with Horizontal(id="actions", classes="-later"):
            yield Button(
                "Create contract (n)", id="create-contract", variant="primary", compact=True
            )
            yield Button("Open in Stripe (s)", id="open-stripe", compact=True)
            yield Button("Open in Metronome (m)", id="open-metronome", compact=True)
        yield KeyFooter()

    @staticmethod
    def _identities_class(size: Size) -> str:
        return "-stacked" if size.width < SIDE_BY_SIDE_WIDTH else ""

    def on_resize(self, event: events.Resize) -> None:
        identities = self.query_one("#identities")
        identities.set_class(bool(self._identities_class(event.size)), "-stacked")

    def on_mount(self) -> None:
        self.query_one("#billings").border_title = "Monthly billings, last 12 months"
        follow_account(self, self._account_published)
        if not self._following:
            self.show(self.detail)  # shown on its own, with no account published
        self.query_one("#page").focus()

    def _account_published(self, account: AccountView) -> None:
        self._following = True
        self.show(account.detail(self.row))

    def show(self, detail: CustomerDetail) -> None:
        if detail.row.metronome_customer_id != self.detail.row.metronome_customer_id:
            self._page, self._page_error = None, None  # another customer: its own page
        self.detail = detail
        row = detail.row
        self.sub_title = row.name or row.stripe_customer_id
        self.title = "Customer"
        self.query_one(IdentitiesPanel).show(stripe_identity(row), metronome_identity(row))
        linked = row.linked
        self.query_one("#billings").display = linked
        self.query_one("#contracts").display = linked
        self.query_one("#invoices-panel").display = linked
        self.query_one("#unlinked").display = not linked
        # A linked customer's page grows as its cards, terms and invoices arrive: with room
        # kept for the scrollbar, the page is not laid out again, every card re-wrapped,
        # the moment it outgrows the screen.
        self.query_one("#page").set_class(linked, "-loads-terms")
        self.query_one("#open-metronome", Button).disabled = not linked
        self.refresh_bindings()  # the invoice keys follow `linked`
        if not (linked and detail.contracts):  # no cards to draw in stages after the buttons
            self.query_one("#actions").remove_class("-later")
        if linked:
            self.query_one(MonthlyBillings).show(detail.billings_by_month)
            self._show_contracts(detail)
            self._show_invoices()
            customer_id = row.metronome_customer_id
            if customer_id is not None and self._page_requested_for != customer_id:
                self._page_requested_for = customer_id
                self._fetch_page(customer_id)

    @property
    def page(self) -> CustomerPage | None:
        """The newest page held for the customer: loaded here, or in the account published."""
        pages = [p for p in (self._page, self.detail.page) if p is not None]
        return max(pages, key=lambda page: page.fetched_at, default=None)

    def _terms_for(self, contract_id: str) -> Terms:
        page = self.page
        terms = page.terms_of(contract_id) if page is not None else None
        if terms is not None:
            return terms
        if self._page_error is not None:
            return f"Terms and balances could not be loaded: {self._page_error}"
        if page is not None:
            return "Metronome did not list this contract's terms."
        return None

    def _show_contracts(self, detail: CustomerDetail) -> None:
        """Update the cards in place when the contracts are the ones shown (each account
        published redraws the page); build them only when the contracts themselves change."""
        box = self.query_one(ContractsPanel)
        box.border_title = f"Contracts ({len(detail.contracts)})"
        contracts = list(zip(detail.contracts, detail.contract_summaries, strict=True))
        cards = self._cards
        if cards and [c.summary.contract_id for c in cards] == [
            s.contract_id for _, s in contracts
        ]:
            for card, (contract, summary) in zip(cards, contracts, strict=True):
                card.show_contract(
                    summary,
                    rate_card=contract.rate_card_name,
                    terms=self._terms_for(summary.contract_id),
                    now=self.balances_at,
                )
        else:
            self._cards, self._cards_may_draw = [], None
            if not contracts:
                box.show_message("No contracts yet. Press n to create one.")
                self._invoices_held = False
                return
            box.show_loading()
            cards = [
                ContractCard(
                    summary,
                    self._known_products.get(summary.contract_id),
                    rate_card=contract.rate_card_name,
                    terms=self._terms_for(summary.contract_id),
                    now=self.balances_at,
                )
                for contract, summary in contracts
            ]
            self._cards = cards
            # Invoices already shown (the contracts changed since) stay where they are.
            self._invoices_held = self.query_one(InvoiceTable).row_count == 0
            # Laying out and drawing ten tall cards is the page's costliest step: drawn
            # after the frame that shows the screen, they are not one long stall with it.
            self.call_after_refresh(self._draw_cards_after_footer, cards)
        self._load_products(detail.contracts, cards)

    def _draw_cards_after_footer(self, cards: list[ContractCard]) -> None:
        """Draw the cards once the footer's keys are drawn. The footer shows its keys after
        the frame that shows the screen too, a line repainted: shown here first (it does not
        draw the same keys twice), they are drawn before the buttons and the cards. The
        buttons wait for the next refresh: the screen's own second layout (its header's
        title, its children's mounts) is due then, and a layout asked for here as well was
        run with it in one turn of the event loop, two frames back to back."""
        self.query_one(KeyFooter).show_keys()
        self.call_after_refresh(self._show_actions_before, cards)

    def _show_actions_before(self, cards: list[ContractCard]) -> None:
        """The buttons, in a frame after the footer's keys and before the cards: laid out
        and drawn with the rest of the page they were a seventh of the frame that first
        shows it, the opening's longest."""
        actions = self.query_one("#actions")
        actions.remove_class("-later")
        self.after_next_layout(lambda: self._draw_cards_with_terms(cards))
        actions.refresh(layout=True)  # a frame is due even if they were shown before

    def _draw_cards_with_terms(self, cards: list[ContractCard]) -> None:
        """Draw the cards once their terms are known too ("Loading contracts…" holds their
        place meanwhile): drawn at their final height, the page is laid out and the cards
        in view drawn once, not again as each card grows by its terms."""
        self._cards_may_draw = cards
        if self._terms_known():
            self._draw_cards(cards)

    def _terms_known(self) -> bool:
        return self.page is not None or self._page_error is not None

    def _draw_cards(self, cards: list[ContractCard]) -> None:
        """Every card in one frame, the invoices in the next. The panel draws only the cards'
        lines in view: those below the screen drawn a frame later would grow the page and
        repaint its view again."""
        if cards is not self._cards:  # replaced by other contracts meanwhile
            return
        self._cards_may_draw = None
        self.query_one(ContractsPanel).show_cards(tuple(cards))
        self.after_next_layout(lambda: self._release_invoices(cards))

    def _release_invoices(self, cards: list[ContractCard]) -> None:
        """The invoices, once the frame that draws the cards is done: laying out the 200-row
        table in that frame too made it the opening's longest."""
        if cards is self._cards and self._invoices_held:
            self._invoices_held = False
            self._show_invoices()

    @work(exclusive=True, group="contract-products", exit_on_error=False)
    async def _load_products(
        self, contracts: Sequence[Contract], cards: Sequence[ContractCard]
    ) -> None:
        """Products from each rate schedule, shown together once every one has answered:
        one layout of the page rather than one per contract. Asked for one after another,
        so their answers do not all land in one turn of the event loop. A contract whose
        load fails shows its own list."""
        answers = [await self._products_or_error(contract) for contract in contracts]
        for contract, card, answer in zip(contracts, cards, answers, strict=True):
            if isinstance(answer, BillingApiError):
                card.show_own_products(answer.user_message)
            else:
                self._known_products[contract.id] = answer
                card.show_products(answer)

    async def _products_or_error(self, contract: Contract) -> tuple[str, ...] | BillingApiError:
        try:
            return await self._included_products(contract)
        except BillingApiError as error:
            return error

    @property
    def balances_at(self) -> datetime:
        """When the balances shown were read: the app's "now" when the page was loaded."""
        page = self.page
        return page.fetched_at if page is not None else datetime.now(UTC)

    def _show_invoices(self) -> None:
        # Shown as loading while held for the cards, whatever has arrived.
        page = None if self._invoices_held else self.page
        error = None if self._invoices_held else self._page_error
        panel = self.query_one("#invoices-panel")
        note = self.query_one("#invoice-note", Static)
        table = self.query_one(InvoiceTable)
        invoices = page.invoices if page is not None else ()
        panel.border_title = "Invoices" if page is None else f"Invoices ({len(invoices)})"
        table.display = bool(invoices)
        note.update(invoice_note(page, error))
        names = {s.contract_id: s.display_name for s in self.detail.contract_summaries}
        table.show(invoices, names)
        if page is not None or error is not None:
            self._arrived_while_awaited(table)

    def _arrived_while_awaited(self, table: InvoiceTable) -> None:
        """Answer an `i` pressed while loading, unless the user has moved on since."""
        if not self._invoices_awaited:
            return
        self._invoices_awaited = False
        if self.focused is self.query_one("#page") and table.display:
            self.action_focus_invoices()

    def _page_loaded(self, page: CustomerPage | None, error: str | None) -> None:
        """Show the page's terms on the cards already there (their products stay loaded)."""
        self._page, self._page_error = page or self._page, error
        if not self.detail.row.linked:
            return
        for card in self._cards:  # drawn or not yet
            card.show_terms(self._terms_for(card.summary.contract_id), self.balances_at)
        if self._cards_may_draw is not None:
            self._draw_cards(self._cards_may_draw)
        self._show_invoices()

    @work(exclusive=True, group="customer-page", exit_on_error=False)
    async def _fetch_page(self, customer_id: str) -> None:
        """Terms, balances and every invoice; a failure says so where they would be."""
        if self._load_page is None:
            return
        try:
            page = await self._load_page(customer_id)
        except BillingApiError as error:
            if customer_id == self.detail.row.metronome_customer_id:
                self._page_loaded(None, error.user_message)
            return
        if customer_id == self.detail.row.metronome_customer_id:
            self._page_loaded(page, None)

    def action_focus_invoices(self) -> None:
        table = self.query_one(InvoiceTable)
        if table.display:
            table.focus()
            table.scroll_visible()
        elif self._invoices_held or not self._terms_known():
            self._invoices_awaited = True
            self.notify(STILL_LOADING, title="Invoices")
        else:
            # The section says why there is nothing to move to; bring it into view.
            self.query_one("#invoices-panel").scroll_visible()

    def action_open_invoice(self) -> None:
        invoice = self.query_one(InvoiceTable).invoice_at_cursor
        if invoice is not None:
            self._open_invoice(invoice)

    @on(InvoiceTable.Chosen)
    def _invoice_chosen(self, event: InvoiceTable.Chosen) -> None:
        self._open_invoice(event.invoice)

    def _open_invoice(self, invoice: PageInvoice) -> None:
        names = {s.contract_id: s.display_name for s in self.detail.contract_summaries}
        contract = names.get(invoice.contract_id or "", "—")
        customer = self.detail.row.name or self.detail.row.stripe_customer_id
        self.app.push_screen(InvoiceScreen(invoice, customer, contract))

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
