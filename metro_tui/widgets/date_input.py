"""A one-line input for a day typed as YYYY-MM-DD."""

from __future__ import annotations

from metro_tui.widgets.wizard_input import FieldInput


class DateInput(FieldInput):
    """Free text, so a malformed date can be typed and explained rather than refused."""

    DEFAULT_CSS = """
    DateInput { width: 14; }
    """

    def __init__(self, value: str = "", *, name: str, id: str | None = None) -> None:
        super().__init__(value, placeholder="YYYY-MM-DD", name=name, id=id)
