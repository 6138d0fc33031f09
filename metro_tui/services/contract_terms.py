"""A contract's terms, balances and invoices in words, as the customer page and export say them.

For example "15% off tags ai, compute · Nov 23, 2026 – May 31, 2027" or "Seats × 10, billed
monthly". Money follows `money.format_cents`, days `dates.format_day`, a period's last day
is the day before its exclusive end, as for contracts.
"""

from __future__ import annotations

from datetime import datetime

from metro_tui.page_records import (
    ContractTerms,
    Discount,
    Entitlement,
    Frequency,
    Grant,
    PageInvoice,
    SubscriptionTerm,
)
from metro_tui.services.contracts import last_day
from metro_tui.services.dates import format_day
from metro_tui.services.money import format_cents

FINALIZED = "FINALIZED"
_FREQUENCY_WORDS: dict[str, str] = {
    "MONTHLY": "monthly",
    "QUARTERLY": "quarterly",
    "ANNUAL": "annually",
    "WEEKLY": "weekly",
    "DAILY": "daily",
}
_PERIOD_WORDS: dict[str, str] = {
    "MONTHLY": "month",
    "QUARTERLY": "quarter",
    "ANNUAL": "year",
    "WEEKLY": "week",
    "DAILY": "day",
}
_SCHEDULE_WORDS: dict[str, str] = {
    "MONTHLY": "Monthly",
    "QUARTERLY": "Quarterly",
    "ANNUAL": "Annual",
    "WEEKLY": "Weekly",
    "DAILY": "Daily",
}


def span_text(starting_at: datetime, ending_before: datetime | None) -> str:
    """ "Nov 23, 2026 – May 31, 2027" (the end is exclusive), "Nov 23, 2026 – no end", or
    "Jul 1, 2025" for a single day (a commit purchase is invoiced for the day it is billed)."""
    start = format_day(starting_at.date())
    if ending_before is None:
        return f"{start} – no end"
    last = last_day(ending_before)
    if last <= starting_at.date():
        return start
    return f"{start} – {format_day(last)}"


def percent_text(share: float) -> str:
    """A share as a percentage with no needless decimals: 0.15 -> "15%", 0.125 -> "12.5%"."""
    return f"{round(share * 100, 2):g}%"


def discount_text(discount: Discount) -> str:
    """ "15% off tags ai, compute · Nov 23, 2026 – May 31, 2027"."""
    off = percent_text(1 - discount.multiplier)
    if discount.product_name is not None:
        scope = discount.product_name
    elif discount.product_tags:
        scope = "tags " + ", ".join(sorted(discount.product_tags))
    else:
        scope = "every product"
    return f"{off} off {scope} · {span_text(discount.starting_at, discount.ending_before)}"


def subscription_text(subscription: SubscriptionTerm) -> str:
    """ "Seats × 10, billed monthly"."""
    frequency = _FREQUENCY_WORDS[subscription.billing_frequency]
    return f"{subscription.product_name} × {subscription.quantity}, billed {frequency}"


def invoice_schedule_text(terms: ContractTerms) -> str:
    """ "Monthly, sent on the 1st of the month" or "Monthly, sent on the contract start day"."""
    frequency = _SCHEDULE_WORDS[terms.invoice_frequency]
    if terms.billing_anchor.day == 1:
        return f"{frequency}, sent on the 1st of the month"
    return f"{frequency}, sent on the contract start day"


def payment_terms_text(terms: ContractTerms) -> str:
    """ "Net 30 days", or "Not set"."""
    days = terms.net_payment_terms_days
    if days is None:
        return "Not set"
    return f"Net {days} day" + ("" if days == 1 else "s")


def entitlement_texts(entitlements: tuple[Entitlement, ...]) -> list[tuple[str, str]]:
    """("Added", "Seats") and ("Excluded", "GPU hours, Storage") lines, those that apply."""
    added = [e.product_name for e in entitlements if e.entitled]
    excluded = [e.product_name for e in entitlements if not e.entitled]
    return [
        (label, ", ".join(names))
        for label, names in (("Added", added), ("Excluded", excluded))
        if names
    ]


def grant_kind_text(grant: Grant) -> str:
    """ "Prepaid commit", "Postpaid commit", "Credit", "Recurring credit", ..."""
    if grant.kind == "credit":
        kind = "credit"
    elif grant.commit_type == "POSTPAID":
        kind = "postpaid commit"
    else:
        kind = "prepaid commit"
    if grant.recurrence is not None:
        kind = f"recurring {kind}"
    return kind[0].upper() + kind[1:]


def grant_title(grant: Grant) -> str:
    """Its name with its product, e.g. "Annual prepaid commitment (Prepaid commit, Commit)"."""
    name = grant.name or grant.product_name
    return f"{name} ({grant_kind_text(grant)}, product {grant.product_name})"


def grant_terms_text(grant: Grant) -> str:
    """ "$48,000.00 granted · customer pays $43,200.00 · Jan 5, 2026 – Jan 4, 2029", or for a
    recurring one "$500.00 granted monthly · customer pays $450.00 monthly · each grant lasts
    1 month · Jan 5, 2026 – no end"."""
    every = "" if grant.recurrence is None else f" {_FREQUENCY_WORDS[grant.recurrence]}"
    parts = [f"{format_cents(grant.granted_cents)} granted{every}"]
    if grant.paid_cents is not None:
        parts.append(f"customer pays {format_cents(grant.paid_cents)}{every}")
    elif grant.kind == "credit":
        parts.append("free")
    if grant.recurrence is not None and grant.lasts_periods is not None:
        parts.append(f"each grant lasts {periods_text(grant.lasts_periods, grant.recurrence)}")
    parts.extend(span_text(s.starting_at, s.ending_before) for s in grant.access)
    return " · ".join(parts)


def periods_text(count: int, frequency: Frequency) -> str:
    """ "1 month", "3 months", "1 quarter", "2 years"."""
    unit = _PERIOD_WORDS[frequency]
    return f"{count} {unit}" + ("" if count == 1 else "s")


def balance_text(grant: Grant, now: datetime) -> str:
    """What remains now: "$1,234.56 of $48,000.00 left", "Used up", "Expired", "Starts ...",
    and for a recurring grant "$400.00 left of this period's $500.00".

    Metronome counts only the segments in force now, so an ended or upcoming grant has 0.
    """
    segments = grant.access
    if segments and all(s.ending_before is not None and s.ending_before <= now for s in segments):
        return "Expired"
    if segments and all(s.starting_at > now for s in segments):
        return f"Starts {format_day(min(s.starting_at for s in segments).date())}"
    if grant.balance_cents is None:
        return "Not given by Metronome"
    if grant.recurrence is not None:
        # What is left is that of the grant it created for this period, not of the whole.
        period = format_cents(grant.period_granted_cents or 0)
        return f"{format_cents(max(grant.balance_cents, 0))} left of this period's {period}"
    if grant.balance_cents <= 0:
        return "Used up"
    return f"{format_cents(grant.balance_cents)} of {format_cents(grant.granted_cents)} left"


def status_word(status: str) -> str:
    """ "FINALIZED" -> "Finalized", "DRAFT" -> "Draft", "VOID" -> "Void"."""
    return status.capitalize()


def counts_as_billed(invoice: PageInvoice) -> bool:
    """Only finalized invoices count in billings (drafts may change, voids were cancelled)."""
    return invoice.status == FINALIZED


def billing_period_text(invoice: PageInvoice) -> str:
    return span_text(invoice.start_timestamp, invoice.end_timestamp)


def quantity_text(quantity: float | None) -> str:
    """ "1,234" or "12.5"; "—" when the line has no quantity."""
    if quantity is None:
        return "—"
    if quantity == int(quantity):
        return f"{int(quantity):,}"
    return f"{quantity:,.4f}".rstrip("0").rstrip(".")


def frequency_word(frequency: Frequency) -> str:
    return _FREQUENCY_WORDS[frequency]
