"""Step 2: the rate card, discounts by product tag, subscription quantities and the price list."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Label, Select

from metro_tui.drafts import (
    ContractDraft,
    DiscountDraft,
    DraftContext,
    PriceLine,
    WizardStep,
    effective_prices,
    format_unit_price,
    frequency_named,
    price_day,
)
from metro_tui.screens.contract_wizard.catalogue_controls import StepSection, offer_options
from metro_tui.screens.contract_wizard.price_table import PriceTable
from metro_tui.screens.contract_wizard.step_body import RowButton, StepBody, row_of
from metro_tui.services.dates import format_day
from metro_tui.widgets.date_input import DateInput
from metro_tui.widgets.wizard_field import WizardField
from metro_tui.widgets.wizard_input import FieldInput
from metro_tui.widgets.wizard_tag_list import TagList


class PricingStep(StepBody):
    """Rate card, discounts, subscriptions and the price list with entitlement checks."""

    DEFAULT_CSS = """
    PricingStep #rate-card { width: 40; }
    PricingStep .override-row {
        height: auto; border: round $primary 40%; padding: 0 1; margin-bottom: 1;
    }
    PricingStep .percent { width: 8; }
    PricingStep .quantity { width: 10; }
    PricingStep Button { margin-bottom: 1; }
    """

    step = WizardStep.PRICING

    def __init__(self, draft: ContractDraft, context: DraftContext) -> None:
        super().__init__(draft, context)
        self._subscriptions_listed: tuple[tuple[str, str, float, str | None], ...] = ()
        """The subscription lines the step shows, to rebuild them only when they change."""

    def compose(self) -> ComposeResult:
        chosen = self.draft.rate_card_id
        cards = self._rate_card_options()
        yield WizardField(
            "Rate card",
            Select(
                cards,
                value=chosen if chosen in {card_id for _, card_id in cards} else Select.NULL,
                prompt=self._rate_card_prompt(),
                name="rate_card_id",
                id="rate-card",
                compact=True,
            ),
            path="rate_card_id",
        )
        yield Label("Price overrides", classes="section-title")
        yield from self._discount_rows()
        yield Button("Add discount", id="add-discount", compact=True)
        yield StepSection(self._subscription_fields, id="subscriptions")
        yield Label("Prices", classes="section-title")
        yield StepSection(self._price_list, id="price-list")

    def _rate_card_options(self) -> list[tuple[str, str]]:
        return [(card.name, card.id) for card in self.context.rate_cards]

    def _rate_card_prompt(self) -> str:
        return "Choose a rate card" if self.context.rate_cards else "Loading rate cards…"

    def _tags_hint(self, tags: tuple[str, ...]) -> str:
        return "" if tags else "choose a rate card first"

    def _discount_rows(self) -> ComposeResult:
        tags = self.context.rate_card_tags()
        for index, discount in enumerate(self.draft.discounts):
            prefix = f"discounts.{index}."
            with Vertical(classes="override-row") as row:
                row.border_title = f"Discount {index + 1}"
                yield WizardField(
                    "Discount",
                    FieldInput(discount.percent, name=f"{prefix}percent", classes="percent"),
                    path=f"{prefix}percent",
                    hint="% off the list price",
                )
                yield WizardField(
                    "Product tags",
                    TagList(tags, discount.tags, name=f"{prefix}tags"),
                    path=f"{prefix}tags",
                    hint=self._tags_hint(tags),
                )
                yield WizardField(
                    "From",
                    DateInput(discount.start_date, name=f"{prefix}start_date"),
                    path=f"{prefix}start_date",
                    hint="blank: the contract start",
                )
                yield WizardField(
                    "Until",
                    DateInput(discount.end_date, name=f"{prefix}end_date"),
                    path=f"{prefix}end_date",
                    hint="last day; blank: the contract end",
                )
                yield RowButton("Remove discount", "remove-discount", index)

    def _subscription_lines(self) -> tuple[tuple[str, str, float, str | None], ...]:
        return tuple(
            (product_id, rate.product_name, rate.price, rate.billing_frequency)
            for product_id, rate in self.context.subscription_rates().items()
        )

    def _subscription_fields(self) -> ComposeResult:
        self._subscriptions_listed = self._subscription_lines()
        subscriptions = self.context.subscription_rates()
        if not subscriptions:
            return
        yield Label("Subscriptions", classes="section-title")
        for product_id, rate in subscriptions.items():
            path = f"subscription_quantities.{product_id}"
            frequency = frequency_named(rate.billing_frequency)
            billed = frequency.adverb if frequency is not None else ""
            yield WizardField(
                rate.product_name,
                FieldInput(
                    self.draft.subscription_quantities.get(product_id, ""),
                    placeholder="none",
                    name=path,
                    classes="quantity",
                ),
                path=path,
                hint=f"{format_unit_price(rate.price)} each, billed {billed}",
            )

    def _price_list(self) -> ComposeResult:
        if not self.draft.rate_card_id:
            yield Label("Choose a rate card to see its prices.", classes="section-hint")
        elif not self.rates_ready:
            yield Label("Loading the rate card's prices…", classes="section-hint")
        else:
            day = price_day(self.draft, self.context.today)
            yield Label(
                f"Effective prices on {format_day(day)}. Space or enter includes or excludes "
                "a product.",
                classes="section-hint",
            )
            yield PriceTable(self._prices(), name="entitlements", id="price-table")

    def _prices(self) -> list[PriceLine]:
        day = price_day(self.draft, self.context.today)
        return effective_prices(self.context.rates, self.draft, day)

    async def offer_catalogue(self) -> None:
        offer_options(
            self.query_one("#rate-card", Select),
            self._rate_card_options(),
            self.draft.rate_card_id,
            prompt=self._rate_card_prompt(),
        )
        tags = self.context.rate_card_tags()
        for tag_list in self.query(TagList):
            tag_list.offer(tags)
            field = next(
                ancestor for ancestor in tag_list.ancestors if isinstance(ancestor, WizardField)
            )
            field.show_hint(self._tags_hint(tags))
        # The quantity fields go only when the rate card's subscriptions do.
        if self._subscription_lines() != self._subscriptions_listed:
            await self.query_one("#subscriptions", StepSection).recompose()
        await self.query_one("#price-list", StepSection).recompose()

    def edited(self, path: str) -> None:
        if path.startswith("discounts."):
            self._refresh_prices()

    def _refresh_prices(self) -> None:
        for table in self.query(PriceTable):
            table.show_prices(self._prices())

    @on(PriceTable.EntitlementToggled)
    def _entitlement_toggled(self, event: PriceTable.EntitlementToggled) -> None:
        self.draft.entitlements[event.product_id] = event.entitled
        self._refresh_prices()
        self.notify_edited(f"entitlements.{event.product_id}")

    @on(Button.Pressed, "#add-discount")
    async def _add_discount(self) -> None:
        self.draft.discounts.append(DiscountDraft())
        await self.redraw(focus=f"discounts.{len(self.draft.discounts) - 1}.percent")
        self.notify_rows_changed("discounts")

    @on(Button.Pressed, ".remove-discount")
    async def _remove_discount(self, event: Button.Pressed) -> None:
        (index,) = row_of(event)
        del self.draft.discounts[index]
        await self.redraw(focus="add-discount")
        self.notify_rows_changed("discounts", removed=index)
