"""`metro-tui export customer ID`: the customer page as data, for scripts.

The same records and words as the page: each contract with its terms and the balances of its
credits and commits, then every invoice, newest first, with its line items. Money is in
cents, times are ISO 8601 in UTC, and each term also comes as the sentence the page shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from metro_tui.errors import UnknownCustomerError
from metro_tui.page_records import ContractTerms, CustomerPage, Grant, PageInvoice
from metro_tui.services.contract_terms import (
    balance_text,
    counts_as_billed,
    discount_text,
    grant_kind_text,
    grant_terms_text,
    invoice_schedule_text,
    payment_terms_text,
    status_word,
    subscription_text,
)
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.view_models import CustomerDetail, CustomerRow, customer_detail, customer_rows


class PageGateway(Protocol):
    """The Metronome call that loads a customer page (`MetronomeGateway` has it)."""

    async def customer_page(self, customer_id: str, now: datetime) -> CustomerPage: ...


def find_customer(snapshot: AccountSnapshot, now: datetime, customer_id: str) -> CustomerRow:
    """The linked customer whose Stripe or Metronome id is `customer_id`."""
    for row in customer_rows(snapshot, now):
        if customer_id in (row.stripe_customer_id, row.metronome_customer_id):
            return row
    raise UnknownCustomerError(
        f"no linked customer has the id {customer_id!r} (a Stripe id such as cus_… "
        "or a Metronome customer id)"
    )


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def _grant(grant: Grant, now: datetime) -> dict[str, Any]:
    return {
        "id": grant.id,
        "kind": grant_kind_text(grant),
        "name": grant.name,
        "product": grant.product_name,
        "text": grant_terms_text(grant),
        "granted_cents": grant.granted_cents,
        "paid_cents": grant.paid_cents,
        "recurrence": grant.recurrence,
        "lasts_periods": grant.lasts_periods,
        "access_schedule": [
            {
                "amount_cents": segment.amount_cents,
                "starting_at": _time(segment.starting_at),
                "ending_before": _time(segment.ending_before),
            }
            for segment in grant.access
        ],
        "balance_cents": grant.balance_cents,
        "period_granted_cents": grant.period_granted_cents,
        "balance": balance_text(grant, now),
    }


def _terms(terms: ContractTerms | None, now: datetime) -> dict[str, Any] | None:
    if terms is None:
        return None
    return {
        "invoice_schedule": invoice_schedule_text(terms),
        "invoice_frequency": terms.invoice_frequency,
        "net_payment_terms_days": terms.net_payment_terms_days,
        "payment_terms": payment_terms_text(terms),
        "discounts": [
            {
                "text": discount_text(discount),
                "multiplier": discount.multiplier,
                "product_tags": sorted(discount.product_tags),
                "product": discount.product_name,
                "starting_at": _time(discount.starting_at),
                "ending_before": _time(discount.ending_before),
            }
            for discount in terms.discounts
        ],
        "subscriptions": [
            {
                "text": subscription_text(subscription),
                "product": subscription.product_name,
                "quantity": subscription.quantity,
                "billing_frequency": subscription.billing_frequency,
            }
            for subscription in terms.subscriptions
        ],
        "products_added": [e.product_name for e in terms.entitlements if e.entitled],
        "products_excluded": [e.product_name for e in terms.entitlements if not e.entitled],
        "credits_and_commits": [_grant(grant, now) for grant in terms.grants],
    }


def _invoice(invoice: PageInvoice, contract_names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": invoice.id,
        "status": status_word(invoice.status),
        "counts_in_billings": counts_as_billed(invoice),
        "billing_period_start": _time(invoice.start_timestamp),
        "billing_period_end": _time(invoice.end_timestamp),
        "total_cents": invoice.total_cents,
        "contract_id": invoice.contract_id,
        "contract": contract_names.get(invoice.contract_id or ""),
        "line_items": [
            {"product": line.name, "quantity": line.quantity, "amount_cents": line.total_cents}
            for line in invoice.line_items
        ],
    }


async def export_customer_page(
    metronome: PageGateway, snapshot: AccountSnapshot, now: datetime, customer_id: str
) -> dict[str, Any]:
    """Find the customer by either id, load its page, and return it as data."""
    row = find_customer(snapshot, now, customer_id)
    page = await metronome.customer_page(row.metronome_customer_id or "", now)
    return customer_page_document(customer_detail(snapshot, row, now), page)


def customer_page_document(detail: CustomerDetail, page: CustomerPage) -> dict[str, Any]:
    """The customer page of `detail`'s customer as JSON-ready data."""
    row, now = detail.row, page.fetched_at
    names = {s.contract_id: s.display_name for s in detail.contract_summaries}
    contracts: Sequence[dict[str, Any]] = [
        {
            "id": contract.id,
            "name": summary.display_name,
            "period": summary.period_text,
            "active": summary.is_active,
            "rate_card": contract.rate_card_name,
            "terms": _terms(page.terms_of(contract.id), now),
        }
        for contract, summary in zip(detail.contracts, detail.contract_summaries, strict=True)
    ]
    return {
        "stripe_customer_id": row.stripe_customer_id,
        "metronome_customer_id": row.metronome_customer_id,
        "name": row.name,
        "lifetime_billings_cents": row.lifetime_billings_cents,
        "as_of": _time(now),
        "contracts": contracts,
        "invoices": [_invoice(invoice, names) for invoice in page.invoices],
    }
