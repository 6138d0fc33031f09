"""When a validation message shows: once its field is typed in, or once Next is refused."""

from __future__ import annotations

from metro_tui.drafts.visibility import MessageVisibility

ERRORS = {
    "rate_card_id": "No rate card chosen: a contract needs one for its prices",
    "discounts.0.percent": "Enter the discount as a number of percent, for example 15",
    "discounts.0.tags": "Choose at least one product tag for the discount",
}


def test_nothing_shows_before_the_field_is_touched_or_next_is_pressed() -> None:
    assert MessageVisibility().visible(ERRORS) == {}


def test_a_touched_field_shows_its_message() -> None:
    visibility = MessageVisibility()
    visibility.touched("discounts.0.percent")
    assert visibility.visible(ERRORS) == {"discounts.0.percent": ERRORS["discounts.0.percent"]}


def test_next_shows_the_messages_that_stood_but_not_those_of_a_row_added_later() -> None:
    visibility = MessageVisibility()
    visibility.next_refused({"rate_card_id": ERRORS["rate_card_id"]})
    assert visibility.visible(ERRORS) == {"rate_card_id": ERRORS["rate_card_id"]}
    visibility.next_refused(ERRORS)
    assert visibility.visible(ERRORS) == ERRORS


def test_removing_a_row_renumbers_the_rows_after_it() -> None:
    visibility = MessageVisibility()
    for path in (
        "credits.0.segments.0.start_date",
        "credits.0.segments.1.end_date",
        "credits.0.segments.2.credit_amount",
        "credits.1.segments.1.end_date",
        "credits.10.product_id",
        "name",
    ):
        visibility.touched(path)
    visibility.row_removed("credits.0.segments", 1)
    standing = {
        path: "wrong"
        for path in (
            "credits.0.segments.0.start_date",
            "credits.0.segments.1.end_date",
            "credits.0.segments.1.credit_amount",
            "credits.1.segments.1.end_date",
            "credits.10.product_id",
            "name",
        )
    }
    # Segment 1's own message went with it; segment 2's moved up to 1; other lists are untouched.
    assert set(visibility.visible(standing)) == {
        "credits.0.segments.0.start_date",
        "credits.0.segments.1.credit_amount",
        "credits.1.segments.1.end_date",
        "credits.10.product_id",
        "name",
    }
    visibility.row_removed("credits", 0)
    assert set(
        visibility.visible({"credits.0.segments.1.end_date": "x", "credits.9.product_id": "x"})
    ) == {
        "credits.0.segments.1.end_date",
        "credits.9.product_id",
    }
