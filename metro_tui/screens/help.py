"""`?`: every key, grouped by where it works, read from the bindings themselves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.widgets import Label, Static

from metro_tui.keymap import keys_in_force
from metro_tui.screens.contract_wizard import ContractWizard
from metro_tui.screens.customer_detail import CustomerDetailScreen
from metro_tui.screens.customers import CustomersPane
from metro_tui.screens.diagnostics import DiagnosticsScreen
from metro_tui.screens.dialog import DialogScreen
from metro_tui.screens.invoice import InvoiceScreen
from metro_tui.widgets.customer_table import CustomerTable
from metro_tui.widgets.list_keys import is_list_key
from metro_tui.widgets.page_scroll import PageScroll

KeySection = tuple[str, Sequence[Binding]]
"""A heading ("Customers") and the bindings that work there."""

LINKS_NOTE = (
    "s, m, o and d open the page in your browser where there is one. The link is always "
    "shown and copied to the clipboard, so it is at hand over SSH or in a container too."
)
CLOSE_HINT = "Esc to close"


def scroll_hint(scroll_y: float, max_scroll_y: float) -> str:
    """What the frame says about the rest of the list, e.g. "▼ more below  ·  Esc to close"."""
    above, below = scroll_y > 0, scroll_y < max_scroll_y
    if above and below:
        more = "▲▼ more above and below"
    elif below:
        more = "▼ more below"
    elif above:
        more = "▲ more above"
    else:
        return CLOSE_HINT
    return f"{more}  ·  {CLOSE_HINT}"


def key_sections(
    app_bindings: Iterable[BindingType], keymap: Mapping[str, str]
) -> list[KeySection]:
    """What the help lists: every binding, where it works, with the keys in force (those the
    keymap gives, where it gives any)."""

    def bindings(declared: Iterable[BindingType]) -> list[Binding]:
        return [
            keys_in_force(binding, keymap) for binding in declared if isinstance(binding, Binding)
        ]

    palette = Binding("ctrl+p", "command_palette", "Commands: jump to a customer, any action")
    table = bindings(CustomerTable.BINDINGS)
    return [
        ("Everywhere", [*bindings(app_bindings), palette]),
        (
            "Lists and pages (Customers, a customer, Why missing?, this help)",
            [binding for binding in table if is_list_key(binding)],
        ),
        (
            "Customers",
            [
                *bindings(CustomersPane.BINDINGS),
                *(binding for binding in table if not is_list_key(binding)),
            ],
        ),
        ("Customer detail", bindings(CustomerDetailScreen.BINDINGS)),
        ("Invoice", bindings(InvoiceScreen.BINDINGS)),
        ("Why is a customer missing?", bindings(DiagnosticsScreen.BINDINGS)),
        ("Contract wizard", bindings(ContractWizard.BINDINGS)),
        ("Command palette (typing searches)", bindings(CommandPalette.BINDINGS)),
    ]


class KeyList(PageScroll):
    """The dialog's frame, scrolled with the keys every list answers."""


class HelpScreen(DialogScreen[None]):
    """Lists the keys of each section; any of `?`, `Esc` or `q` closes it."""

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen > KeyList { width: 72; max-height: 90%; }
    HelpScreen .help-heading { margin-top: 1; text-style: bold; color: $accent; }
    HelpScreen #links-note { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, sections: Sequence[KeySection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with KeyList() as box:
            box.border_title = "Keys"
            box.border_subtitle = CLOSE_HINT
            key_width = max(
                (
                    len(self.keys_text(binding))
                    for _, bindings in self.sections
                    for binding in bindings
                ),
                default=0,
            )
            for heading, bindings in self.sections:
                yield Label(heading, classes="help-heading")
                yield Static(self._key_table(bindings, key_width), classes="help-section")
            yield Static(LINKS_NOTE, id="links-note")

    def on_mount(self) -> None:
        box = self.query_one(KeyList)
        box.focus()
        self.watch(box, "scroll_y", self._show_scroll_hint, init=False)
        self.call_after_refresh(self._show_scroll_hint)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_scroll_hint)

    def _show_scroll_hint(self) -> None:
        box = self.query_one(KeyList)
        box.border_subtitle = scroll_hint(box.scroll_y, box.max_scroll_y)

    def _key_table(self, bindings: Sequence[Binding], key_width: int) -> Table:
        """Keys and what they do in two columns: a long description wraps in its own column.

        One widget per section, not per key: a widget per key made `?` take seconds to open.
        """
        table = Table.grid(padding=(0, 2))
        table.add_column(width=key_width, no_wrap=True, style="bold")
        table.add_column(ratio=1)
        for binding in bindings:
            table.add_row(
                Text(self.keys_text(binding)), Text(binding.tooltip or binding.description)
            )
        return table

    def keys_text(self, binding: Binding) -> str:
        """The keys of `binding` as the app shows them, e.g. "home / g"."""
        return " / ".join(
            self.app.get_key_display(Binding(key.strip(), binding.action))
            for key in binding.key.split(",")
        )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
