"""Snapshots of each wizard step, with and without validation errors, at 120x40 and 80x24."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.drafts import (
    ContractDraft,
    CreditDraft,
    CreditSegmentDraft,
    DiscountDraft,
    DraftStore,
)
from metro_tui.errors import RequestRejectedError
from metro_tui.local.config import BackendConfig
from metro_tui.local.server import RunningBackend, start_in_thread
from tests.conftest import TEST_TODAY, TEST_TOKEN
from tests.ui.test_contract_wizard import (
    WizardHarness,
    filled_draft,
    linked_wizard_customer,
    product_id,
)
from tests.ui.wizard_keys import fill, settle

SIZES = {"120x40": (120, 40), "80x24": (80, 24)}


@pytest.fixture(scope="module")
def catalogue_backend(
    seeded_data_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningBackend]:
    """One backend for every shot: none of them writes."""
    copy = tmp_path_factory.mktemp("wizard-snapshots") / "data.sqlite3"
    shutil.copyfile(seeded_data_file, copy)
    running = start_in_thread(copy, BackendConfig(token=TEST_TOKEN, today=TEST_TODAY))
    yield running
    running.stop()


class RejectingGateway(MetronomeGateway):
    """Metronome refuses the contract, so the Confirm step shows the error and a Retry."""

    async def create_contract(self, params: dict[str, Any]) -> str:
        raise RequestRejectedError("Metronome", "rate card is archived")


def invalid_invoicing(draft: ContractDraft, _: RunningBackend) -> None:
    draft.name = ""
    draft.start_date, draft.end_date = "2026-02-30", "2026-1-5"
    draft.net_payment_terms = "4.5"


def invalid_pricing(draft: ContractDraft, backend: RunningBackend) -> None:
    draft.discounts = [DiscountDraft(percent="150", start_date="2026-11-01")]
    draft.subscription_quantities = {product_id(backend, "Seats"): "2.5"}


def invalid_credits(draft: ContractDraft, _: RunningBackend) -> None:
    prepaid, onboarding = draft.credits
    draft.credits[0] = CreditDraft(
        product_id=prepaid.product_id,
        start_date="2026-12-01",
        end_date="2027-06-30",
        invoice_amount="-5",
        credit_amount="0",
    )
    onboarding.segments[1] = CreditSegmentDraft(
        start_date="2027-02-15", end_date="2027-05-31", credit_amount="ten"
    )


Change = Callable[[ContractDraft, RunningBackend], None]

# (step, with errors) -> how the saved draft differs from the filled one, and the keys to press
# after resuming it. None: a fresh wizard, no saved draft.
SCENES: dict[tuple[int, bool], tuple[Change | None, tuple[str, ...]]] = {
    (1, False): (None, ()),
    (1, True): (invalid_invoicing, ("ctrl+n",)),
    (2, False): (lambda draft, backend: None, ("ctrl+n",)),
    (2, True): (invalid_pricing, ("ctrl+n", "ctrl+n")),
    (3, False): (lambda draft, backend: None, ("ctrl+n", "ctrl+n")),
    (3, True): (invalid_credits, ("ctrl+n", "ctrl+n", "ctrl+n")),
    (4, False): (lambda draft, backend: None, ("ctrl+n", "ctrl+n", "ctrl+n")),
    # On Confirm the error is Metronome refusing the create.
    (4, True): (lambda draft, backend: None, ("ctrl+n", "ctrl+n", "ctrl+n", "enter")),
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("errors", [False, True], ids=["clean", "errors"])
@pytest.mark.parametrize("step", [1, 2, 3, 4])
def test_wizard_step(
    step: int,
    errors: bool,
    size: str,
    catalogue_backend: RunningBackend,
    tmp_path: Path,
    snap_compare: Any,
) -> None:
    change, keys = SCENES[(step, errors)]
    customer = linked_wizard_customer(catalogue_backend)
    drafts = DraftStore(tmp_path)
    if change is not None:
        draft = filled_draft(catalogue_backend, customer)
        change(draft, catalogue_backend)
        drafts.save(draft)
    gateway_class = RejectingGateway if (step, errors) == (4, True) else MetronomeGateway
    gateway = gateway_class(TEST_TOKEN, catalogue_backend.metronome_url)
    app = WizardHarness(customer, gateway, drafts)

    async def reach_the_step(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if change is not None:
            await pilot.press("enter")  # resume the saved draft
            await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        assert int(app.wizard.step) == step
        for field in app.wizard.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZES[size], run_before=reach_the_step)


@pytest.mark.parametrize("size", list(SIZES))
def test_close_question(
    size: str, catalogue_backend: RunningBackend, tmp_path: Path, snap_compare: Any
) -> None:
    """Esc over a filled form: every answer's button is whole, "Keep editing" has focus."""
    customer = linked_wizard_customer(catalogue_backend)
    gateway = MetronomeGateway(TEST_TOKEN, catalogue_backend.metronome_url)
    app = WizardHarness(customer, gateway, DraftStore(tmp_path))

    async def ask_to_close(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await fill(pilot, "name", "Half done")
        await pilot.press("escape")
        await settle(pilot)
        for field in app.wizard.query(Input):
            field.cursor_blink = False

    assert snap_compare(app, terminal_size=SIZES[size], run_before=ask_to_close)
