"""A cell's text fitted to its column: padded, or cut short with "…", by terminal cells."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from metro_tui.widgets.table_layout import fit_text


@pytest.mark.parametrize(
    ("text", "width", "left", "right"),
    [
        ("Acme", 6, "Acme  ", "  Acme"),
        ("Acme Corp", 6, "Acme …", "Acme …"),
        ("", 3, "   ", "   "),
        ("Acme", 0, "", ""),
        ("Acme", 1, "…", "…"),
        ("Zoë Café", 6, "Zoë C…", "Zoë C…"),
        ("日本語の会社", 7, "日本語…", "日本語…"),  # two cells a character
        ("日本語", 4, "日 …", "日 …"),  # a wide character cut in half leaves a blank
        ("a\tb", 5, "a\tb" + " " * (5 - cell_len("a\tb")), " " * (5 - cell_len("a\tb")) + "a\tb"),
    ],
)
def test_a_cell_is_as_wide_as_its_column(text: str, width: int, left: str, right: str) -> None:
    assert fit_text(text, width) == left
    assert fit_text(text, width, right_aligned=True) == right
    assert cell_len(fit_text(text, width)) == width
