"""`?`: every key, grouped by where it works, read from the bindings themselves."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from metro_tui.screens.dialog import DialogScreen

KeySection = tuple[str, Sequence[Binding]]
"""A heading ("Customers") and the bindings that work there."""

KEY_COLUMN = 16


class HelpScreen(DialogScreen[None]):
    """Lists the keys of each section; any of `?`, `Esc` or `q` closes it."""

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen > VerticalScroll { width: 72; max-height: 90%; }
    HelpScreen .help-section { margin-top: 1; height: auto; }
    """

    def __init__(self, sections: Sequence[KeySection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Keys"
            box.border_subtitle = "Esc to close"
            for heading, bindings in self.sections:
                yield Static(self._section(heading, bindings), classes="help-section")

    def _section(self, heading: str, bindings: Sequence[Binding]) -> Content:
        lines = [Content.styled(heading, "bold $accent")]
        for binding in bindings:
            keys = " / ".join(
                self.app.get_key_display(Binding(key, binding.action))
                for key in binding.key.split(",")
            )
            lines.append(
                Content.assemble(
                    (f"{keys:<{KEY_COLUMN}}", "bold"), binding.tooltip or binding.description
                )
            )
        return Content("\n").join(lines)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
