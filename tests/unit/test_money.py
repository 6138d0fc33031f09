"""Money formatting and parsing: integer cents in, dollars out, and back."""

from __future__ import annotations

import pytest

from metro_tui.services.money import format_cents, parse_money


@pytest.mark.parametrize(
    ("cents", "shown"),
    [
        (0, "$0.00"),
        (5, "$0.05"),
        (100, "$1.00"),
        (123_456, "$1,234.56"),
        (-123_456, "-$1,234.56"),
        (-5, "-$0.05"),
        (123_456_789_012, "$1,234,567,890.12"),
    ],
)
def test_format_cents(cents: int, shown: str) -> None:
    assert format_cents(cents) == shown


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1", 100),
        ("0", 0),
        ("1250.5", 125_050),
        ("$1,250.50", 125_050),
        ("  $ 12  ", 1_200),
        (".5", 50),
        ("7.", 700),
        ("0.05", 5),
        ("1,234,567.89", 123_456_789),
    ],
)
def test_parse_money(text: str, cents: int) -> None:
    assert parse_money(text) == cents


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter an amount, for example 1,250.00."),
        ("   ", "Enter an amount, for example 1,250.00."),
        ("-5", "The amount cannot be negative."),
        ("$-5.00", "The amount cannot be negative."),
        ("1.234", "Use at most 2 decimal places (whole cents)."),
        ("ten", "'ten' is not an amount of money; for example 1,250.00."),
        ("1,2,3", "'1,2,3' is not an amount of money; for example 1,250.00."),
        ("1e5", "'1e5' is not an amount of money; for example 1,250.00."),
        ("$", "'$' is not an amount of money; for example 1,250.00."),
        (".", "'.' is not an amount of money; for example 1,250.00."),
        ("١٢", "'١٢' is not an amount of money; for example 1,250.00."),
    ],
)
def test_parse_money_refuses_bad_input(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_money(text)
    assert str(raised.value) == message


def test_parsing_what_was_formatted_gives_the_same_cents() -> None:
    for cents in (0, 1, 99, 100_000, 123_456_789):
        assert parse_money(format_cents(cents)) == cents
