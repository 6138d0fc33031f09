"""Step 1: the contract's name, dates, usage invoice schedule and payment terms."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import RadioSet, Select

from metro_tui.drafts import FREQUENCIES, SEND_DAYS, WizardStep
from metro_tui.screens.contract_wizard.step_body import StepBody
from metro_tui.widgets.date_input import DateInput
from metro_tui.widgets.wizard_choice_button import ChoiceButton
from metro_tui.widgets.wizard_field import WizardField
from metro_tui.widgets.wizard_input import FieldInput


class InvoicingStep(StepBody):
    """Name, start and optional end date, invoice frequency, send-on day, net terms."""

    DEFAULT_CSS = """
    InvoicingStep #name { width: 1fr; }
    InvoicingStep #invoice-frequency { width: 20; }
    InvoicingStep #send-on { layout: horizontal; width: auto; }
    InvoicingStep #net-payment-terms { width: 8; }
    """

    step = WizardStep.INVOICING

    def compose(self) -> ComposeResult:
        draft = self.draft
        yield WizardField(
            "Contract name",
            FieldInput(draft.name, placeholder="e.g. Acme 2027", name="name", id="name"),
            path="name",
        )
        yield WizardField(
            "Start date", DateInput(draft.start_date, name="start_date"), path="start_date"
        )
        yield WizardField(
            "End date",
            DateInput(draft.end_date, name="end_date"),
            path="end_date",
            hint="last day; blank for no end",
        )
        yield WizardField(
            "Invoice schedule",
            Select(
                [(frequency.label, frequency.value) for frequency in FREQUENCIES],
                value=draft.invoice_frequency,
                allow_blank=False,
                name="invoice_frequency",
                id="invoice-frequency",
                compact=True,
            ),
            path="invoice_frequency",
        )
        yield WizardField(
            "Send invoices on",
            RadioSet(
                *(
                    ChoiceButton(day.label, value=draft.send_on == day.value, name=day.value)
                    for day in SEND_DAYS
                ),
                name="send_on",
                id="send-on",
                compact=True,
            ),
            path="send_on",
        )
        yield WizardField(
            "Net payment terms",
            FieldInput(draft.net_payment_terms, name="net_payment_terms", id="net-payment-terms"),
            path="net_payment_terms",
            hint="days after the invoice is issued",
        )
