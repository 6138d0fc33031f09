"""When the wizard's messages appear: on a field once it is typed in or Next is refused,
never on a row just added; and what they say."""

from __future__ import annotations

from pathlib import Path

from metro_tui.drafts import DiscountDraft, DraftStore, WizardStep
from metro_tui.local.server import RunningBackend
from tests.ui.test_contract_wizard import (
    RATE_CARD_MISSING,
    WizardHarness,
    filled_draft,
    gateway_for,
    linked_wizard_customer,
    product_id,
    shown_errors,
    status,
    step_of,
)
from tests.ui.wizard_keys import (
    choose,
    fill,
    next_step,
    pick,
    press_button,
    settle,
    tab_to,
    uncheck_product,
)

FIX_ONE = "Fix the 1 field marked in red to continue."
FIX_TWO = "Fix the 2 fields marked in red to continue."


async def test_a_discount_just_added_shows_no_message_until_typed_in_or_next(
    backend: RunningBackend, tmp_path: Path
) -> None:
    app = WizardHarness(linked_wizard_customer(backend), gateway_for(backend), DraftStore(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await fill(pilot, "name", "Messages")
        await next_step(pilot)
        await next_step(pilot)  # refused: no rate card
        assert shown_errors(app) == {"rate_card_id": RATE_CARD_MISSING}
        assert status(app) == FIX_ONE
        await choose(pilot, "rate_card_id", "Standard")
        await settle(pilot)
        assert (shown_errors(app), status(app)) == ({}, "")

        await press_button(pilot, "add-discount")
        assert (shown_errors(app), status(app)) == ({}, "")
        await fill(pilot, "discounts.0.percent", "150")
        assert shown_errors(app) == {
            "discounts.0.percent": "Discount must be between 0 and 100 percent"
        }
        assert status(app) == FIX_ONE
        await next_step(pilot)
        assert step_of(app) is WizardStep.PRICING
        assert shown_errors(app) == {
            "discounts.0.percent": "Discount must be between 0 and 100 percent",
            "discounts.0.tags": "Choose at least one product tag for the discount",
        }
        assert status(app) == FIX_TWO


async def test_a_custom_segment_just_added_shows_no_message_until_typed_in_or_next(
    backend: RunningBackend, tmp_path: Path
) -> None:
    app = WizardHarness(linked_wizard_customer(backend), gateway_for(backend), DraftStore(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await fill(pilot, "name", "Segments")
        await next_step(pilot)
        await choose(pilot, "rate_card_id", "Standard")
        await settle(pilot)
        await next_step(pilot)
        assert step_of(app) is WizardStep.CREDITS

        await press_button(pilot, "add-credit")
        await choose(pilot, "credits.0.product_id", "Onboarding credit")
        await pick(pilot, "credits.0.schedule", "CUSTOM")
        await settle(pilot)
        assert (shown_errors(app), status(app)) == ({}, "")
        await next_step(pilot)
        segment_0 = {
            "credits.0.segments.0.start_date": "Start: Enter a date as YYYY-MM-DD",
            "credits.0.segments.0.end_date": "End: Enter a date as YYYY-MM-DD",
            "credits.0.segments.0.credit_amount": "Credit: Enter an amount, for example 1,250.00.",
        }
        assert shown_errors(app) == segment_0
        assert status(app) == "Fix the 3 fields marked in red to continue."

        await press_button(pilot, "add-segment-0")
        assert shown_errors(app) == segment_0  # segment 2 is new: nothing on it yet
        await press_button(pilot, "remove-segment-0-0")
        # Segment 2 moved up to be segment 1; it keeps its clean slate.
        assert (shown_errors(app), status(app)) == ({}, "")


async def test_a_quantity_for_a_product_then_excluded_is_refused_beside_it(
    backend: RunningBackend, tmp_path: Path
) -> None:
    app = WizardHarness(linked_wizard_customer(backend), gateway_for(backend), DraftStore(tmp_path))
    seats = f"subscription_quantities.{product_id(backend, 'Seats')}"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await fill(pilot, "name", "Seats")
        await next_step(pilot)
        await choose(pilot, "rate_card_id", "Standard")
        await settle(pilot)
        await fill(pilot, seats, "25")
        assert shown_errors(app) == {}
        await uncheck_product(pilot, "Seats")
        await pilot.pause()
        assert shown_errors(app) == {
            seats: "Seats is excluded from this contract: clear the quantity, or include it "
            "again under Prices"
        }
        await next_step(pilot)
        assert step_of(app) is WizardStep.PRICING
        await fill(pilot, seats, "")
        assert shown_errors(app) == {}
        await next_step(pilot)
        assert step_of(app) is WizardStep.CREDITS


async def test_after_a_row_is_removed_the_focused_button_is_in_view(
    backend: RunningBackend, tmp_path: Path
) -> None:
    customer = linked_wizard_customer(backend)
    drafts = DraftStore(tmp_path)
    draft = filled_draft(backend, customer)
    draft.discounts = [DiscountDraft()]
    drafts.save(draft)
    app = WizardHarness(customer, gateway_for(backend), drafts)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # resume
        await next_step(pilot)
        await press_button(pilot, "remove-discount-0")  # below the fold at 80x24
        await pilot.pause()
        step = app.wizard.query_one("#step-pricing")
        add_discount = app.wizard.query_one("#add-discount")
        assert app.focused is add_discount
        assert step.scrollable_content_region.contains_region(add_discount.region)


async def test_a_step_shown_again_shows_its_focused_first_control(
    backend: RunningBackend, tmp_path: Path
) -> None:
    customer = linked_wizard_customer(backend)
    drafts = DraftStore(tmp_path)
    drafts.save(filled_draft(backend, customer))
    app = WizardHarness(customer, gateway_for(backend), drafts)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # resume
        await next_step(pilot)
        await tab_to(pilot, "entitlements")  # the price list scrolls the step to its foot
        await pilot.press("ctrl+b")
        await settle(pilot)
        await next_step(pilot)
        await pilot.pause()
        step, rate_card = app.wizard.query_one("#step-pricing"), app.wizard.query_one("#rate-card")
        assert app.focused is rate_card
        assert step.scrollable_content_region.contains_region(rate_card.region)
