"""What the customer page's panels say: the customer's identities in Stripe and Metronome,
and the note above its invoices. Built from the customer's row and page alone, so each reads
the same whatever drew it."""

from __future__ import annotations

from textual.content import Content

from metro_tui.page_records import CustomerPage
from metro_tui.services.money import format_cents
from metro_tui.services.provisioning import NOT_IN_METRONOME
from metro_tui.view_models import CustomerRow
from metro_tui.widgets.contract_card import labelled
from metro_tui.widgets.provision_status import status_text

NO_INVOICES = "No invoices yet."
LOADING_INVOICES = "Loading invoices…"
STILL_LOADING = "Invoices are still loading: the cursor moves to them when they arrive."
INVOICES_HINT = "Enter or v opens the invoice under the cursor; i moves to the invoices."
UNLINKED_TEXT = (
    "This Stripe customer has no Metronome customer yet. Create a contract and metro-tui "
    "creates the Metronome customer from the Stripe name, with a Stripe billing configuration."
)


def stripe_identity(row: CustomerRow) -> Content:
    return labelled(
        [
            ("Name", row.name or "—"),
            ("Email", row.email or "—"),
            ("Stripe ID", row.stripe_customer_id),
            ("Date created", row.date_created.strftime("%Y-%m-%d")),
        ]
    )


def metronome_identity(row: CustomerRow) -> Content:
    """The Metronome customer, its lifetime billings and provision status, each saying when
    it is still loading or could not be loaded."""
    if not row.linked or row.metronome_customer_id is None:
        return Content.styled(NOT_IN_METRONOME, "$text-muted")
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
    return labelled(
        [
            ("Customer ID", row.metronome_customer_id),
            ("Lifetime billings", billings),
            ("Provision status", status),
        ]
    )


def invoice_note(page: CustomerPage | None, error: str | None) -> str | Content:
    """Above the invoices: why there are none to show, or how to open one."""
    if error is not None:
        return Content.styled(f"Could not load: {error}", "$error")
    if page is None:
        return LOADING_INVOICES
    if not page.invoices:
        return NO_INVOICES
    return "Newest first. Drafts and voids are dimmed and not counted in billings. " + (
        INVOICES_HINT
    )
