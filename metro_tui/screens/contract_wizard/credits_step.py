"""Step 3: credits and prepaid commits, each one-time, monthly or in custom segments."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, RadioSet, Select

from metro_tui.drafts import CreditDraft, CreditSegmentDraft, WizardStep
from metro_tui.drafts.field_paths import read_field
from metro_tui.screens.contract_wizard.catalogue_controls import offer_options
from metro_tui.screens.contract_wizard.step_body import RowButton, StepBody, row_of
from metro_tui.widgets.date_input import DateInput
from metro_tui.widgets.money_input import MoneyInput
from metro_tui.widgets.wizard_choice_button import ChoiceButton
from metro_tui.widgets.wizard_field import FieldError, WizardField
from metro_tui.widgets.wizard_tag_list import TagList

SCHEDULES = (("One-time", "ONE_TIME"), ("Monthly", "MONTHLY"), ("Custom", "CUSTOM"))
SEGMENT_FIELDS = (
    ("start_date", "Start"),
    ("end_date", "End"),
    ("invoice_amount", "Invoice"),
    ("credit_amount", "Credit"),
)


class CreditsStep(StepBody):
    """Any number of credits; a credit with an invoice amount is a prepaid commit."""

    DEFAULT_CSS = """
    CreditsStep .credit-row {
        height: auto; border: round $primary 40%; padding: 0 1; margin-bottom: 1;
    }
    CreditsStep .credit-product { width: 30; }
    CreditsStep .schedule { layout: horizontal; width: auto; }
    CreditsStep .segment-row { height: 1; }
    CreditsStep .segment-row > Label { width: 4; }
    CreditsStep .segment-row > Input { margin-right: 1; }
    CreditsStep .segment-row > DateInput, CreditsStep .segment-row > MoneyInput { width: 12; }
    CreditsStep .segment-header { height: 1; color: $text-muted; }
    CreditsStep .segment-header > Label { width: 13; }
    CreditsStep .segment-header > .segment-number { width: 4; }
    CreditsStep .segment-errors { height: auto; padding-left: 4; margin-bottom: 1; }
    CreditsStep Button { margin-bottom: 1; margin-right: 2; }
    CreditsStep .credit-buttons { height: auto; }
    """

    step = WizardStep.CREDITS

    def compose(self) -> ComposeResult:
        if not self.draft.credits:
            yield Label(
                "No credits yet. A credit with an invoice amount is a prepaid commit.",
                classes="section-hint",
            )
        for index, credit in enumerate(self.draft.credits):
            yield from self._credit_row(index, credit)
        yield Button("Add credit", id="add-credit", compact=True)

    def _product_options(self) -> list[tuple[str, str]]:
        return [(product.name, product.id) for product in self.context.credit_products()]

    def _product_prompt(self) -> str:
        return "Choose a product" if self.context.credit_products() else "Loading products…"

    def _credit_row(self, index: int, credit: CreditDraft) -> ComposeResult:
        prefix = f"credits.{index}."
        products = self._product_options()
        known = {product_id for _, product_id in products}
        with Vertical(classes="credit-row") as row:
            row.border_title = f"Credit {index + 1}"
            yield WizardField(
                "Credit product",
                Select(
                    products,
                    value=credit.product_id if credit.product_id in known else Select.NULL,
                    prompt=self._product_prompt(),
                    name=f"{prefix}product_id",
                    classes="credit-product",
                    compact=True,
                ),
                path=f"{prefix}product_id",
                hint="its name is the invoice line",
            )
            yield WizardField(
                "Product tags",
                TagList(
                    self.context.rate_card_tags(),
                    credit.applicable_tags,
                    name=f"{prefix}applicable_tags",
                ),
                path=f"{prefix}applicable_tags",
                hint="none: all usage products",
            )
            yield WizardField(
                "Schedule",
                RadioSet(
                    *(
                        ChoiceButton(label, value=credit.schedule == value, name=value)
                        for label, value in SCHEDULES
                    ),
                    name=f"{prefix}schedule",
                    classes="schedule",
                    compact=True,
                ),
                path=f"{prefix}schedule",
            )
            if credit.schedule == "CUSTOM":
                yield from self._segments(index, credit.segments)
            else:
                yield from self._allocation(prefix, credit)
            with Horizontal(classes="credit-buttons"):
                if credit.schedule == "CUSTOM":
                    yield RowButton("Add segment", "add-segment", index)
                yield RowButton("Remove credit", "remove-credit", index)

    def _allocation(self, prefix: str, credit: CreditDraft) -> ComposeResult:
        monthly = credit.schedule == "MONTHLY"
        each = " each month" if monthly else ""
        yield WizardField(
            "Start date",
            DateInput(credit.start_date, name=f"{prefix}start_date"),
            path=f"{prefix}start_date",
        )
        yield WizardField(
            "End date",
            DateInput(credit.end_date, name=f"{prefix}end_date"),
            path=f"{prefix}end_date",
            hint="last day; blank: no end" if monthly else "last day",
        )
        yield WizardField(
            "Invoice amount",
            MoneyInput(credit.invoice_amount, name=f"{prefix}invoice_amount"),
            path=f"{prefix}invoice_amount",
            hint=f"what the customer pays{each}; blank: free",
        )
        yield WizardField(
            "Credit amount",
            MoneyInput(credit.credit_amount, name=f"{prefix}credit_amount"),
            path=f"{prefix}credit_amount",
            hint=f"what they can spend on usage{each}",
        )

    def _segments(self, index: int, segments: list[CreditSegmentDraft]) -> ComposeResult:
        prefix = f"credits.{index}."
        with Horizontal(classes="segment-header"):
            yield Label("#", classes="segment-number")
            for _, title in SEGMENT_FIELDS:
                yield Label(title)
        for number, segment in enumerate(segments):
            path = f"{prefix}segments.{number}."
            with Horizontal(classes="segment-row"):
                yield Label(f"{number + 1}")
                yield DateInput(segment.start_date, name=f"{path}start_date")
                yield DateInput(segment.end_date, name=f"{path}end_date")
                yield MoneyInput(segment.invoice_amount, name=f"{path}invoice_amount")
                yield MoneyInput(segment.credit_amount, name=f"{path}credit_amount")
                yield RowButton("Remove", "remove-segment", index, number)
            with Vertical(classes="segment-errors"):
                for field, title in SEGMENT_FIELDS:
                    yield FieldError(f"{path}{field}", subject=title)
        yield FieldError(f"{prefix}segments")

    async def offer_catalogue(self) -> None:
        for select in self.query(".credit-product").results(Select):
            chosen = read_field(self.draft, str(select.name))
            offer_options(
                select,
                self._product_options(),
                chosen if isinstance(chosen, str) else None,
                prompt=self._product_prompt(),
            )
        for tag_list in self.query(TagList):
            tag_list.offer(self.context.rate_card_tags())

    def edited(self, path: str) -> None:
        if path.endswith(".schedule"):
            credit = self.draft.credits[int(path.split(".")[1])]
            if credit.schedule == "CUSTOM" and not credit.segments:
                credit.segments.append(CreditSegmentDraft())
            self.call_later(self.redraw)

    @on(Button.Pressed, "#add-credit")
    async def _add_credit(self) -> None:
        self.draft.credits.append(CreditDraft())
        await self.redraw(focus=f"credits.{len(self.draft.credits) - 1}.product_id")
        self.notify_rows_changed("credits")

    @on(Button.Pressed, ".remove-credit")
    async def _remove_credit(self, event: Button.Pressed) -> None:
        (index,) = row_of(event)
        del self.draft.credits[index]
        await self.redraw(focus="add-credit")
        self.notify_rows_changed("credits", removed=index)

    @on(Button.Pressed, ".add-segment")
    async def _add_segment(self, event: Button.Pressed) -> None:
        (index,) = row_of(event)
        segments = self.draft.credits[index].segments
        segments.append(CreditSegmentDraft())
        await self.redraw(focus=f"credits.{index}.segments.{len(segments) - 1}.start_date")
        self.notify_rows_changed(f"credits.{index}.segments")

    @on(Button.Pressed, ".remove-segment")
    async def _remove_segment(self, event: Button.Pressed) -> None:
        index, number = row_of(event)
        del self.draft.credits[index].segments[number]
        await self.redraw(focus=f"credits.{index}.schedule")
        self.notify_rows_changed(f"credits.{index}.segments", removed=number)
