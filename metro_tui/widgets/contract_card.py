"""A contract on the customer page: name, period, products, and every term with its balances."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from textual.content import Content, Span

from metro_tui.page_records import ContractTerms
from metro_tui.services.contract_terms import (
    balance_text,
    discount_text,
    entitlement_texts,
    grant_terms_text,
    grant_title,
    invoice_schedule_text,
    payment_terms_text,
    subscription_text,
)
from metro_tui.services.contracts import ContractSummary

LOADING_PRODUCTS = "Loading products…"
LOADING_TERMS = "Loading terms and balances…"
Terms = ContractTerms | str | None
"""The contract's terms; a sentence saying why they are not shown; None while they load."""


def labelled(pairs: Sequence[tuple[str, str | Content]]) -> Content:
    """Label / value lines, the values aligned one space after the longest label."""
    width = max(len(label) for label, _ in pairs) + 1
    return Content("\n").join(
        Content.assemble((f"{label:<{width}}", "$text-muted"), value) for label, value in pairs
    )


def terms_lines(terms: ContractTerms, rate_card: str | None, now: datetime) -> list[Content]:
    """The contract's terms, then each credit and commit with what remains of it now."""
    pairs: list[tuple[str, str | Content]] = [
        ("Rate card", rate_card or "—"),
        ("Invoices", invoice_schedule_text(terms)),
        ("Payment terms", payment_terms_text(terms)),
    ]
    pairs += [("Discount", discount_text(discount)) for discount in terms.discounts]
    pairs += [("Subscription", subscription_text(s)) for s in terms.subscriptions]
    pairs += entitlement_texts(terms.entitlements)
    lines = [labelled(pairs)]
    if not terms.grants:
        lines.append(Content.styled("No credits or commits", "$text-muted"))
    for grant in terms.grants:
        lines.append(Content.styled(grant_title(grant), "bold"))
        lines.append(
            labelled(
                [
                    ("  Terms", grant_terms_text(grant)),
                    ("  Balance", Content.styled(balance_text(grant, now), "bold")),
                ]
            )
        )
    return lines


class ContractCard:
    """A contract: display name, period with "(Active)", products, terms and balances.

    Not a widget: the contracts panel draws every card line by line, so a card is its text,
    and the panel is told when that text changes (`ContractsPanel.card_changed`).

    The products come from the contract's rate schedule, one request per contract: until it
    answers the card says so, rather than show the contract's own list and then another.
    """

    def __init__(
        self,
        summary: ContractSummary,
        products: tuple[str, ...] | None = None,
        *,
        rate_card: str | None = None,
        terms: Terms = None,
        now: datetime,
    ) -> None:
        self.summary = summary
        self.products = products
        """The rate schedule's products; None until it answers."""
        self.products_note: str | None = None
        """Why the products shown are not the rate schedule's, if they are not."""
        self.rate_card = rate_card
        self.terms = terms
        self.now = now
        self.is_active = summary.is_active
        """Drawn with a green edge if active now, a grey one if not."""
        self._content: Content | None = None
        """The card's text, worked out when it is first asked for: the page makes its cards
        in the step before its first frame, and gives them their terms before drawing them."""
        self._drawn: tuple[str, tuple[Span, ...], bool] | None = None
        self._changed: Callable[[ContractCard], object] | None = None
        """Told when the card's text or edge changes: the panel that draws it."""

    def attach(self, changed: Callable[[ContractCard], object] | None) -> None:
        """Tell `changed` of every change from now on (None: no one)."""
        self._changed = changed

    def content(self) -> Content:
        """The card's text, as drawn inside its edge and padding."""
        if self._content is None:
            self._content = self._build()
            self._drawn = self._look(self._content)
        return self._content

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

    def show_terms(self, terms: Terms, now: datetime) -> None:
        """The terms and balances as read at `now`."""
        self.terms, self.now = terms, now
        self._draw()

    def show_contract(
        self, summary: ContractSummary, *, rate_card: str | None, terms: Terms, now: datetime
    ) -> None:
        """The contract as the account now has it; its products stay until reloaded."""
        self.summary, self.rate_card = summary, rate_card
        self.is_active = summary.is_active
        self.show_terms(terms, now)

    def _build(self) -> Content:
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
        if isinstance(self.terms, ContractTerms):
            lines += terms_lines(self.terms, self.rate_card, self.now)
        elif self.terms is None:
            lines.append(Content.styled(LOADING_TERMS, "$text-muted"))
        else:
            lines.append(Content.styled(self.terms, "$warning"))
        return Content("\n").join(lines)

    def _look(self, content: Content) -> tuple[str, tuple[Span, ...], bool]:
        # Content's == compares text alone: the spans and the edge's colour count too.
        return content.plain, tuple(content.spans), self.is_active

    def _draw(self) -> None:
        if self._content is None:  # not asked for yet: worked out from what it is then
            return
        content = self._build()
        drawn = self._look(content)
        if drawn != self._drawn:  # an unchanged card need not be drawn again
            self._content, self._drawn = content, drawn
            if self._changed is not None:
                self._changed(self)
