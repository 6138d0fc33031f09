"""The wizard's rules: read a draft into checked terms, or say in plain words what is wrong.

Messages are keyed by the field's path in the draft ("end_date", "discounts.0.percent",
"credits.1.segments.0.start_date", "subscription_quantities.<product id>"), so a screen can
put each one under its input.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import IntEnum

from metro_tui.drafts.context import DraftContext
from metro_tui.drafts.draft import (
    ContractDraft,
    CreditDraft,
    CreditSegmentDraft,
    DiscountDraft,
)
from metro_tui.drafts.fields import (
    FieldErrors,
    FieldReader,
    parse_optional_money,
    parse_percent,
    parse_whole_number,
)
from metro_tui.drafts.invoice_schedule import frequency_named
from metro_tui.drafts.terms import (
    ContractTerms,
    CreditSegment,
    CreditTerms,
    DiscountTerms,
    EntitlementChange,
    InvoicingTerms,
    Period,
    PricingTerms,
    SubscriptionTerms,
)
from metro_tui.services.money import parse_money


class WizardStep(IntEnum):
    """The wizard's four steps; CONFIRM checks all of the others."""

    INVOICING = 1
    PRICING = 2
    CREDITS = 3
    CONFIRM = 4


class InvalidDraftError(ValueError):
    """The draft breaks at least one rule; `errors` says which fields and why."""

    def __init__(self, errors: FieldErrors) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors.items()))
        self.errors = errors


def validate_step(draft: ContractDraft, step: WizardStep, context: DraftContext) -> FieldErrors:
    """What is wrong with the fields of one step (every step's fields for CONFIRM)."""
    fields = FieldReader()
    _read_terms(draft, context, fields, step)
    return fields.errors


def read_terms(draft: ContractDraft, context: DraftContext) -> ContractTerms:
    """The draft's checked terms; raises InvalidDraftError if any rule is broken."""
    fields = FieldReader()
    terms = _read_terms(draft, context, fields, WizardStep.CONFIRM)
    if terms is None or fields.errors:
        raise InvalidDraftError(fields.errors)
    return terms


def readable_discounts(draft: ContractDraft) -> tuple[DiscountTerms, ...]:
    """The discounts that already read correctly, for a price preview while the user types."""
    fields = FieldReader()
    contract = _contract_period(draft)
    discounts = (
        _read_discount(fields, f"discounts.{index}.", discount, contract)
        for index, discount in enumerate(draft.discounts)
    )
    return tuple(discount for discount in discounts if discount)


def _contract_period(draft: ContractDraft) -> Period | None:
    """The contract's period if its dates read, without reporting on them (step 1 does)."""
    return FieldReader().period(
        "", draft.start_date, draft.end_date, end_required=False, within=None
    )


def _read_terms(
    draft: ContractDraft, context: DraftContext, fields: FieldReader, step: WizardStep
) -> ContractTerms | None:
    invoicing = None
    if step in (WizardStep.INVOICING, WizardStep.CONFIRM):
        invoicing = _read_invoicing(draft, fields)
    # Later steps check their dates against the contract period, when it reads.
    contract = _contract_period(draft)
    pricing = None
    credits: tuple[CreditTerms | None, ...] = ()
    if step in (WizardStep.PRICING, WizardStep.CONFIRM):
        pricing = _read_pricing(draft, context, contract, fields)
    if step in (WizardStep.CREDITS, WizardStep.CONFIRM):
        credits = tuple(
            _read_credit(fields, f"credits.{index}.", credit, context, contract)
            for index, credit in enumerate(draft.credits)
        )
    if invoicing is None or pricing is None or fields.errors:
        return None
    return ContractTerms(invoicing, pricing, tuple(credit for credit in credits if credit))


def _read_invoicing(draft: ContractDraft, fields: FieldReader) -> InvoicingTerms | None:
    name = draft.name.strip()
    if not name:
        fields.fail("name", "Enter a contract name")
    period = fields.period("", draft.start_date, draft.end_date, end_required=False, within=None)
    net_terms = _whole_number(
        fields,
        "net_payment_terms",
        draft.net_payment_terms,
        "Net payment terms must be a whole number of days, 0 or more",
    )
    if not name or period is None or net_terms is None:
        return None
    return InvoicingTerms(
        name=name,
        period=period,
        invoice_frequency=draft.invoice_frequency,
        send_on=draft.send_on,
        net_payment_terms_days=net_terms,
    )


def _whole_number(fields: FieldReader, path: str, text: str, message: str) -> int | None:
    try:
        return parse_whole_number(text)
    except ValueError:
        fields.fail(path, message)
        return None


def _clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(tag.strip() for tag in tags if tag.strip()))


def _read_pricing(
    draft: ContractDraft, context: DraftContext, contract: Period | None, fields: FieldReader
) -> PricingTerms | None:
    failures_before = len(fields.errors)
    _check_rate_card(draft, context, fields)
    discounts = tuple(
        _read_discount(fields, f"discounts.{index}.", discount, contract)
        for index, discount in enumerate(draft.discounts)
    )
    subscriptions = _read_subscriptions(draft, context, fields)
    if not draft.rate_card_id or len(fields.errors) > failures_before:
        return None
    return PricingTerms(
        rate_card_id=draft.rate_card_id,
        discounts=tuple(discount for discount in discounts if discount),
        subscriptions=subscriptions,
        entitlement_changes=_entitlement_changes(draft, context),
    )


def _check_rate_card(draft: ContractDraft, context: DraftContext, fields: FieldReader) -> None:
    """A rate card is chosen, and (once the catalogue is known) it is still offered."""
    if not draft.rate_card_id:
        fields.fail("rate_card_id", "No rate card chosen: a contract needs one for its prices")
    elif context.rate_cards and context.rate_card(draft.rate_card_id) is None:
        fields.fail("rate_card_id", "This rate card is no longer offered: choose another")


def _read_discount(
    fields: FieldReader, prefix: str, discount: DiscountDraft, contract: Period | None
) -> DiscountTerms | None:
    percent: Decimal | None = fields.read(f"{prefix}percent", parse_percent, discount.percent)
    tags = _clean_tags(discount.tags)
    if not tags:
        fields.fail(f"{prefix}tags", "Choose at least one product tag for the discount")
    period = fields.period(
        prefix,
        discount.start_date,
        discount.end_date,
        end_required=False,
        within=contract,
        default_start=contract.start if contract else None,
        start_optional=True,
    )
    if percent is None or not tags or period is None:
        return None
    return DiscountTerms(percent=percent, tags=tags, period=period)


def _read_subscriptions(
    draft: ContractDraft, context: DraftContext, fields: FieldReader
) -> tuple[SubscriptionTerms, ...]:
    """Quantities for the rate card's subscriptions, in rate card order.

    A blank quantity adds no subscription, and quantities left over from another rate card
    are ignored: the user can no longer see them. A product excluded from the contract cannot
    be subscribed to.
    """
    subscriptions: list[SubscriptionTerms] = []
    entitled_on_card = context.rate_card_entitlements()
    for product_id, rate in context.subscription_rates().items():
        path = f"subscription_quantities.{product_id}"
        text = draft.subscription_quantities.get(product_id, "")
        # A rate billed at a frequency the request cannot name adds no subscription.
        billing_frequency = frequency_named(rate.billing_frequency)
        if not text.strip() or billing_frequency is None:
            continue
        if not draft.entitlements.get(product_id, entitled_on_card.get(product_id, True)):
            fields.fail(
                path,
                f"{rate.product_name} is excluded from this contract: clear the quantity, "
                "or include it again under Prices",
            )
            continue
        quantity = _whole_number(fields, path, text, "Quantity must be a whole number, 0 or more")
        if quantity is not None:
            subscriptions.append(SubscriptionTerms(product_id, billing_frequency.value, quantity))
    return tuple(subscriptions)


def _entitlement_changes(
    draft: ContractDraft, context: DraftContext
) -> tuple[EntitlementChange, ...]:
    """Checked or unchecked products whose choice differs from the rate card, in its order."""
    return tuple(
        EntitlementChange(product_id, draft.entitlements[product_id])
        for product_id, entitled in context.rate_card_entitlements().items()
        if draft.entitlements.get(product_id, entitled) != entitled
    )


def _read_credit(
    fields: FieldReader,
    prefix: str,
    credit: CreditDraft,
    context: DraftContext,
    contract: Period | None,
) -> CreditTerms | None:
    failures_before = len(fields.errors)
    product = context.product(credit.product_id) if credit.product_id else None
    if not credit.product_id:
        fields.fail(f"{prefix}product_id", "Choose a credit product")
    elif product is None or product.type != "FIXED":
        fields.fail(f"{prefix}product_id", "The credit product must be a Fixed product")
    if credit.schedule == "CUSTOM":
        segments = _read_custom_segments(fields, prefix, credit.segments, contract)
    else:
        segment = _read_segment(
            fields, prefix, credit, end_required=credit.schedule == "ONE_TIME", contract=contract
        )
        segments = (segment,) if segment else ()
    if product is None or len(fields.errors) > failures_before:
        return None
    return CreditTerms(
        product_id=product.id,
        applicable_tags=_clean_tags(credit.applicable_tags),
        schedule=credit.schedule,
        segments=segments,
    )


def _read_segment(
    fields: FieldReader,
    prefix: str,
    typed: CreditDraft | CreditSegmentDraft,
    *,
    end_required: bool,
    contract: Period | None,
) -> CreditSegment | None:
    """Dates and amounts of a one-time or monthly credit, or of one custom segment."""
    period = fields.period(
        prefix, typed.start_date, typed.end_date, end_required=end_required, within=contract
    )
    invoice_cents = fields.read(
        f"{prefix}invoice_amount", parse_optional_money, typed.invoice_amount
    )
    credit_cents = fields.read(f"{prefix}credit_amount", parse_money, typed.credit_amount)
    if credit_cents == 0:
        fields.fail(f"{prefix}credit_amount", "Credit amount must be more than zero")
    if period is None or invoice_cents is None or not credit_cents:
        return None
    return CreditSegment(period, invoice_cents, credit_cents)


def _read_custom_segments(
    fields: FieldReader,
    prefix: str,
    segments: list[CreditSegmentDraft],
    contract: Period | None,
) -> tuple[CreditSegment, ...]:
    if not segments:
        fields.fail(f"{prefix}segments", "Add at least one segment")
    read: list[tuple[int, CreditSegment]] = []
    for index, typed in enumerate(segments):
        segment = _read_segment(
            fields, f"{prefix}segments.{index}.", typed, end_required=True, contract=contract
        )
        if segment is not None:
            read.append((index, segment))
    _check_overlaps(fields, prefix, read)
    return tuple(segment for _, segment in read)


def _check_overlaps(
    fields: FieldReader, prefix: str, segments: list[tuple[int, CreditSegment]]
) -> None:
    """Taken by start date, each segment must start after every earlier one has ended."""
    latest: tuple[int, date] | None = None
    for index, segment in sorted(segments, key=lambda item: item[1].period.start):
        last_day = segment.period.last_day
        if latest is not None and segment.period.start <= latest[1]:
            fields.fail(
                f"{prefix}segments.{index}.start_date",
                f"This segment overlaps segment {latest[0] + 1}",
            )
        if last_day is not None and (latest is None or last_day > latest[1]):
            latest = (index, last_day)
