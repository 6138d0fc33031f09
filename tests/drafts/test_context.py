"""What the wizard offers to choose from, read off the catalogue and the chosen rate card."""

from __future__ import annotations

from dataclasses import replace

from tests.drafts.catalogue import CONTEXT, ONBOARDING, PREPAID


def test_tags_are_those_of_the_rate_cards_products_sorted_once_each() -> None:
    assert CONTEXT.rate_card_tags() == ("api", "compute", "seats", "storage", "support")
    assert replace(CONTEXT, rates=()).rate_card_tags() == ()


def test_credit_products_are_the_fixed_products_in_catalogue_order() -> None:
    assert CONTEXT.credit_products() == (ONBOARDING, PREPAID)
