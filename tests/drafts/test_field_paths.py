"""A draft's fields read and written by the paths validation messages are keyed by."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from metro_tui.drafts import CreditDraft, CreditSegmentDraft, DiscountDraft
from metro_tui.drafts.field_paths import read_field, write_field
from tests.drafts.catalogue import valid_draft


def test_top_level_nested_and_list_fields_are_written_where_the_path_says() -> None:
    draft = valid_draft(
        discounts=[DiscountDraft(), DiscountDraft()],
        credits=[CreditDraft(schedule="CUSTOM", segments=[CreditSegmentDraft()])],
    )
    write_field(draft, "name", "Acme 2028")
    write_field(draft, "discounts.1.percent", "15")
    write_field(draft, "discounts.0.tags", ["compute", "ai"])
    write_field(draft, "credits.0.segments.0.credit_amount", "250")
    write_field(draft, "rate_card_id", None)

    assert draft.name == "Acme 2028"
    assert [discount.percent for discount in draft.discounts] == ["", "15"]
    assert draft.discounts[0].tags == ["compute", "ai"]
    assert draft.credits[0].segments[0].credit_amount == "250"
    assert draft.rate_card_id is None
    assert read_field(draft, "discounts.1.percent") == "15"
    assert read_field(draft, "credits.0.schedule") == "CUSTOM"


def test_a_dict_key_is_the_rest_of_the_path_even_with_dots_in_it() -> None:
    draft = valid_draft()
    write_field(draft, "subscription_quantities.p.seats.v2", "3")
    write_field(draft, "entitlements.p-api", False)
    assert draft.subscription_quantities == {"p.seats.v2": "3"}
    assert draft.entitlements == {"p-api": False}
    assert read_field(draft, "subscription_quantities.p.seats.v2") == "3"
    assert read_field(draft, "subscription_quantities.p-unknown") is None


@pytest.mark.parametrize(
    "path", ["nickname", "discounts.0.percent", "discounts.x", "name.first", "credits.-1.tags"]
)
def test_a_path_to_nothing_is_a_key_error(path: str) -> None:
    draft = valid_draft()
    with pytest.raises(KeyError):
        write_field(draft, path, "1")
    with pytest.raises(KeyError):
        read_field(draft, path)


def test_a_value_of_the_wrong_kind_is_refused_by_the_draft() -> None:
    draft = valid_draft()
    with pytest.raises(ValidationError):
        write_field(draft, "invoice_frequency", "HOURLY")
    assert draft.invoice_frequency == "MONTHLY"
