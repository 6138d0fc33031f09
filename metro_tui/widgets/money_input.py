"""A one-line input for an amount of dollars, such as 1,250.00."""

from __future__ import annotations

from metro_tui.widgets.wizard_input import FieldInput


class MoneyInput(FieldInput):
    """Free text, so a negative or non-numeric amount can be typed and explained."""

    DEFAULT_CSS = """
    MoneyInput { width: 16; }
    """

    def __init__(
        self, value: str = "", *, name: str, placeholder: str = "$0.00", id: str | None = None
    ) -> None:
        super().__init__(value, placeholder=placeholder, name=name, id=id)
