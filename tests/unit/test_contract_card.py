"""A contract card's text is worked out when it is first asked for (the panel draws it), from
what the card holds then; once drawn, every change is worked out and told to the panel."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.content import Content

from metro_tui.services.contracts import ContractSummary
from metro_tui.widgets.contract_card import ContractCard

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
SUMMARY = ContractSummary(
    contract_id="contract-1",
    display_name="Starter 2026",
    period_text="Jan 1, 2026 – Dec 31, 2026",
    is_active=True,
    products=("API calls",),
)
NOT_LISTED = "Metronome did not list this contract's terms."


@pytest.fixture
def texts_built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of each card's text worked out, in order."""
    built: list[str] = []
    build = ContractCard._build

    def counted(card: ContractCard) -> Content:
        content = build(card)
        built.append(content.plain)
        return content

    monkeypatch.setattr(ContractCard, "_build", counted)
    return built


def test_a_card_given_its_products_and_terms_before_it_is_drawn_works_its_text_out_once(
    texts_built: list[str],
) -> None:
    card = ContractCard(SUMMARY, now=NOW)
    card.show_products(("API calls", "Storage"))
    card.show_terms(NOT_LISTED, NOW)
    assert texts_built == []
    expected = (
        "Starter 2026\n"
        "Jan 1, 2026 – Dec 31, 2026 (Active)\n"
        "Products: API calls, Storage\n"
        "Metronome did not list this contract's terms."
    )
    assert card.content().plain == expected
    assert card.content().plain == expected
    assert texts_built == [expected]


def test_a_drawn_card_tells_the_panel_of_each_change(texts_built: list[str]) -> None:
    card = ContractCard(SUMMARY, now=NOW)
    changed: list[ContractCard] = []
    card.attach(changed.append)
    assert card.content().plain.endswith("Loading terms and balances…")
    card.show_terms(NOT_LISTED, NOW)
    assert changed == [card]
    assert card.content().plain.endswith(NOT_LISTED)
    card.show_terms(NOT_LISTED, NOW)  # the same text: nothing to draw again
    assert changed == [card]
    assert len(texts_built) == 3
