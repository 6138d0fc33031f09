"""Invoice frequencies and send-on days: one table each, equal to the types the draft checks."""

from __future__ import annotations

from typing import get_args

from metro_tui.drafts.invoice_schedule import (
    FREQUENCIES,
    SEND_DAYS,
    InvoiceFrequency,
    SendOn,
    frequency_named,
)


def test_each_table_has_one_row_per_value_of_its_type() -> None:
    assert tuple(frequency.value for frequency in FREQUENCIES) == get_args(InvoiceFrequency)
    assert tuple(day.value for day in SEND_DAYS) == get_args(SendOn)


def test_a_rate_billing_frequency_is_read_by_its_metronome_name() -> None:
    annual = frequency_named("ANNUAL")
    assert annual is not None
    assert (annual.label, annual.adverb) == ("Annual", "annually")
    assert frequency_named("SEMI_ANNUAL") is None
    assert frequency_named(None) is None
