"""The Confirm step's read-back: a valid draft as labelled lines in plain words."""

from __future__ import annotations

from metro_tui.drafts.context import DraftContext
from metro_tui.drafts.draft import ContractDraft
from metro_tui.drafts.invoice_schedule import frequency_of, send_day_of
from metro_tui.drafts.terms import (
    CreditSegment,
    CreditTerms,
    DiscountTerms,
    Period,
    PricingTerms,
)
from metro_tui.drafts.validation import read_terms
from metro_tui.services.dates import format_day
from metro_tui.services.money import format_cents

SummaryLine = tuple[str, str]
"""(label, value), e.g. ("Invoice schedule", "Monthly, sent on the 1st of the month")."""


def draft_summary(draft: ContractDraft, context: DraftContext) -> list[SummaryLine]:
    """What the contract will be, line by line; raises ValueError for an invalid draft."""
    terms = read_terms(draft, context)
    invoicing, pricing = terms.invoicing, terms.pricing
    lines: list[SummaryLine] = [
        ("Customer", f"{draft.customer_name} ({draft.stripe_customer_id})"),
        ("Metronome customer", draft.metronome_customer_id or "Created with the contract"),
        ("Contract name", invoicing.name),
        ("Period", period_text(invoicing.period)),
        (
            "Invoice schedule",
            f"{frequency_of(invoicing.invoice_frequency).label}, "
            f"sent on {send_day_of(invoicing.send_on).phrase}",
        ),
        ("Net payment terms", _days(invoicing.net_payment_terms_days)),
        ("Rate card", _rate_card_name(context, pricing.rate_card_id)),
    ]
    lines.extend(("Discount", _discount_text(discount)) for discount in pricing.discounts)
    lines.extend(("Subscription", text) for text in _subscription_texts(context, pricing))
    lines.extend(
        (
            "Product included" if change.entitled else "Product excluded",
            _product_name(context, change.product_id),
        )
        for change in pricing.entitlement_changes
    )
    for credit in terms.credits:
        lines.extend(("Credit", text) for text in _credit_texts(context, credit))
    return lines


def period_text(period: Period) -> str:
    """ "Jan 5, 2026 – Dec 31, 2026", or "Jan 5, 2026 – no end"."""
    last = format_day(period.last_day) if period.last_day else "no end"
    return f"{format_day(period.start)} – {last}"


def _days(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


def _rate_card_name(context: DraftContext, rate_card_id: str) -> str:
    card = context.rate_card(rate_card_id)
    return card.name if card else rate_card_id


def _product_name(context: DraftContext, product_id: str) -> str:
    product = context.product(product_id)
    if product is not None:
        return product.name
    rate = next((rate for rate in context.rates if rate.product_id == product_id), None)
    return rate.product_name if rate else product_id


def _subscription_texts(context: DraftContext, pricing: PricingTerms) -> list[str]:
    """Each subscription on the rate card: its quantity, or that a blank one adds none."""
    chosen = {item.product_id: item for item in pricing.subscriptions}
    texts = []
    for product_id in context.subscription_rates():
        name = _product_name(context, product_id)
        item = chosen.get(product_id)
        if item is None:
            texts.append(f"{name}: no subscription")
        else:
            frequency = frequency_of(item.billing_frequency).adverb
            texts.append(f"{name} × {item.quantity}, billed {frequency}")
    return texts


def _discount_text(discount: DiscountTerms) -> str:
    period = period_text(discount.period)
    if discount.period.last_day is None:
        period = f"{format_day(discount.period.start)} – contract end"
    tags = ", ".join(discount.tags)
    return f"{discount.percent.normalize():f}% off products tagged {tags}, {period}"


def _credit_texts(context: DraftContext, credit: CreditTerms) -> list[str]:
    name = _product_name(context, credit.product_id)
    scope = (
        f", for products tagged {', '.join(credit.applicable_tags)}"
        if credit.applicable_tags
        else ""
    )
    each = " each month" if credit.schedule == "MONTHLY" else ""
    texts = []
    for number, segment in enumerate(credit.segments, start=1):
        label = f"{name} (segment {number})" if credit.schedule == "CUSTOM" else name
        texts.append(f"{label}: {_amounts(segment, each)}, {period_text(segment.period)}{scope}")
    return texts


def _amounts(segment: CreditSegment, each: str) -> str:
    granted = f"{format_cents(segment.credit_cents)} of credit{each}"
    if segment.invoice_cents:
        return f"{granted} for {format_cents(segment.invoice_cents)}"
    return f"{granted} at no charge"
