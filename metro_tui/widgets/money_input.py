"""A one-line input for an amount of dollars, such as 1,250.00."""

from __future__ import annotations

from textual.widgets import Input


class MoneyInput(Input):
    """Free text, so a negative or non-numeric amount can be typed and explained."""

    DEFAULT_CSS = """
    MoneyInput { width: 16; }
    """

    def __init__(
        self, value: str = "", *, name: str, placeholder: str = "$0.00", id: str | None = None
    ) -> None:
        super().__init__(value, placeholder=placeholder, name=name, id=id, compact=True)
