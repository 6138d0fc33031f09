"""A radio button whose glyph, not only its colour, says whether it is chosen."""

from __future__ import annotations

from rich.console import RenderableType
from textual.content import ContentText
from textual.widgets import RadioButton

CHOSEN = RadioButton.BUTTON_INNER
"""The dot inside a chosen button: "▐●▌"."""
NOT_CHOSEN = " "
"""An empty button, "▐ ▌", so a monochrome terminal or a colour-blind user sees the difference."""


class ChoiceButton(RadioButton):
    """One answer of a RadioSet: "▐●▌ Monthly" when chosen, "▐ ▌ Monthly" when not.

    Textual draws the dot in both states and tells them apart by colour only.
    """

    def __init__(
        self,
        label: ContentText = "",
        value: bool = False,
        *,
        name: str | None = None,
        tooltip: RenderableType | None = None,
    ) -> None:
        super().__init__(label, value, name=name, tooltip=tooltip)
        self._show_state()

    def watch_value(self) -> None:
        self._show_state()
        super().watch_value()

    def _show_state(self) -> None:
        self.BUTTON_INNER = CHOSEN if self.value else NOT_CHOSEN
