"""The contract wizard without its screens: the draft, its rules, the request, and creation."""

from metro_tui.drafts.autosave import DraftStore
from metro_tui.drafts.context import DraftContext
from metro_tui.drafts.create import (
    CreateOutcome,
    CreateProgress,
    CustomerLinkError,
    create_contract,
)
from metro_tui.drafts.draft import ContractDraft, CreditDraft, CreditSegmentDraft, DiscountDraft
from metro_tui.drafts.invoice_schedule import FREQUENCIES, SEND_DAYS, frequency_named
from metro_tui.drafts.payload import build_contract_params
from metro_tui.drafts.prices import PriceLine, effective_prices, format_unit_price, price_day
from metro_tui.drafts.summary import draft_summary
from metro_tui.drafts.validation import InvalidDraftError, WizardStep, validate_step

__all__ = [
    "FREQUENCIES",
    "SEND_DAYS",
    "ContractDraft",
    "CreateOutcome",
    "CreateProgress",
    "CreditDraft",
    "CreditSegmentDraft",
    "CustomerLinkError",
    "DiscountDraft",
    "DraftContext",
    "DraftStore",
    "InvalidDraftError",
    "PriceLine",
    "WizardStep",
    "build_contract_params",
    "create_contract",
    "draft_summary",
    "effective_prices",
    "format_unit_price",
    "frequency_named",
    "price_day",
    "validate_step",
]
