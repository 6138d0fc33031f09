"""Keys typed fast land where they were typed: in a burst, and while the wizard redraws.

A terminal multiplexer, a paste of keystrokes or a fast typist over SSH delivers many keys in
one read. The helpers here turn the bytes of one read into key events with Textual's own
terminal parser, as its driver does, and post them to the app back to back.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import events
from textual._xterm_parser import XTermParser
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.drafts import (
    ContractDraft,
    CreditSegmentDraft,
    DiscountDraft,
    DraftStore,
    WizardStep,
)
from metro_tui.drafts.field_paths import read_field
from metro_tui.local.server import RunningBackend
from metro_tui.models import Rate
from metro_tui.screens.contract_wizard.price_table import PriceTable
from metro_tui.widgets.wizard_tag_list import TagList
from tests.conftest import TEST_TOKEN
from tests.ui.test_contract_wizard import (
    WizardHarness,
    filled_draft,
    gateway_for,
    linked_wizard_customer,
    product_id,
    rate_card_id,
    shown_errors,
    status,
)
from tests.ui.wizard_keys import choose, next_step, settle, tab_to

CTRL_A, CTRL_K, TAB = "\x01", "\x0b", "\t"


def one_read(data: str) -> list[events.Key]:
    """The key events Textual's driver makes of `data` read from the terminal at once."""
    return [event for event in XTermParser().feed(data) if isinstance(event, events.Key)]


async def retype_in_one_read(pilot: Pilot[Any], name: str, text: str) -> None:
    """Replace the text of the field named `name` as `tmux send-keys C-a C-k <text> Tab` does.

    Waits until the final tab has moved the focus on: every key before it was handled first.
    """
    await tab_to(pilot, name)
    field = pilot.app.focused
    assert isinstance(field, Input)
    moved_on = asyncio.Event()

    def focus_changed(focused: Widget | None) -> None:
        if focused is not field:
            moved_on.set()

    screen = pilot.app.screen
    screen.watch(screen, "focused", focus_changed, init=False)
    for event in one_read(f"{CTRL_A}{CTRL_K}{text}{TAB}"):
        pilot.app.post_message(event)
    await asyncio.wait_for(moved_on.wait(), timeout=30)  # a guard against a hang, not a pace
    await pilot.pause()


def field_value(app: WizardHarness, name: str) -> str:
    field = next(w for w in app.wizard.query(Input) if w.name == name)
    return field.value


def broken_draft(backend: RunningBackend, app_customer: Any) -> ContractDraft:
    """A draft with a wrong value in a field of each of the first three steps."""
    draft = filled_draft(backend, app_customer)
    draft.end_date, draft.net_payment_terms = "2026-1-5", "4.5"
    draft.discounts = [DiscountDraft(percent="150", tags=["compute"], start_date="2026-11-01")]
    draft.subscription_quantities = {product_id(backend, "Seats"): "2.5"}
    draft.credits[0].invoice_amount, draft.credits[0].credit_amount = "-5", "0"
    draft.credits[1].segments[1] = CreditSegmentDraft(
        start_date="2027-03-01", end_date="2027-05-31", credit_amount="ten"
    )
    return draft


async def test_keys_in_one_read_all_land_in_fields_showing_a_message(
    backend: RunningBackend, tmp_path: Path
) -> None:
    customer = linked_wizard_customer(backend)
    drafts = DraftStore(tmp_path)
    drafts.save(broken_draft(backend, customer))
    seats = f"subscription_quantities.{product_id(backend, 'Seats')}"
    steps = [
        {"end_date": "2027-05-31", "net_payment_terms": "45"},
        {"discounts.0.percent": "15", "discounts.0.start_date": "2026-12-01", seats: "25"},
        {
            "credits.0.invoice_amount": "8,000",
            "credits.0.credit_amount": "10,000",
            "credits.1.segments.1.credit_amount": "250.50",
        },
    ]
    app = WizardHarness(customer, gateway_for(backend), drafts)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # resume
        await settle(pilot)
        for typed in steps:
            await next_step(pilot)  # refused: every message of the step shows
            assert set(shown_errors(app)) == set(typed)
            for name, text in typed.items():
                await retype_in_one_read(pilot, name, text)
                assert (field_value(app, name), read_field(app.wizard.draft, name)) == (text, text)
            assert (shown_errors(app), status(app)) == ({}, "")
            await next_step(pilot)
        assert app.wizard.step is WizardStep.CONFIRM


class HeldRatesGateway(MetronomeGateway):
    """Answers for a rate card's prices only once the test releases them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.release = asyncio.Event()

    async def rates(self, rate_card_id: str, at: datetime) -> list[Rate]:
        await self.release.wait()
        return await super().rates(rate_card_id, at)


async def test_a_field_being_typed_in_is_not_rebuilt_when_the_prices_arrive(
    backend: RunningBackend, tmp_path: Path
) -> None:
    customer = linked_wizard_customer(backend)
    drafts = DraftStore(tmp_path)
    draft = filled_draft(backend, customer)
    draft.rate_card_id, draft.discounts = None, [DiscountDraft()]
    drafts.save(draft)
    gateway = HeldRatesGateway(TEST_TOKEN, backend.metronome_url)
    app = WizardHarness(customer, gateway, drafts)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # resume
        await next_step(pilot)
        await choose(pilot, "rate_card_id", "Standard")  # its prices are held back
        await tab_to(pilot, "discounts.0.percent")
        percent = app.focused
        assert isinstance(percent, Input)
        await pilot.press("1")

        gateway.release.set()
        await settle(pilot)
        await pilot.press("5")
        assert app.focused is percent
        assert (percent.value, app.wizard.draft.discounts[0].percent) == ("15", "15")
        assert app.wizard.draft.rate_card_id == rate_card_id(backend, "Standard")
        # What the prices brought is shown around the field: tags, subscriptions, the list.
        tags = app.wizard.query_one(TagList)
        assert "compute" in [tags.get_option_at_index(i).value for i in range(tags.option_count)]
        seats = f"subscription_quantities.{product_id(backend, 'Seats')}"
        assert [w.name for w in app.wizard.query(Input) if w.name == seats] == [seats]
        assert app.wizard.query_one(PriceTable).row_count > 0
