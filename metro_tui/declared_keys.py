"""The key bindings metro-tui's classes declare, for checking a `[keymap]`.

Written by `python -m metro_tui.keymap` from the classes themselves; do not edit by hand.
`tests/ui/test_keymap.py` fails when a class declares a binding this does not hold.
"""

DeclaredKeys = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]

LIST_KEYS = (
    ("list.cursor_up", "up,k"),
    ("list.cursor_down", "down,j"),
    ("list.page_up", "pageup"),
    ("list.page_down", "pagedown"),
    ("list.first", "home,g"),
    ("list.last", "end,G"),
)

DECLARED_KEYS: DeclaredKeys = (
    (
        "metro_tui.app.MetroApp",
        (
            ("app.filter", "slash"),
            ("app.refresh", "r"),
            ("app.overview", "1"),
            ("app.customers", "2"),
            ("app.settings", "comma"),
            ("app.metronome", "o"),
            ("app.docs", "d"),
            ("app.help", "question_mark"),
            ("app.quit", "q"),
        ),
    ),
    ("metro_tui.screens.connect.ConnectScreen", (("connect.cancel", "escape"),)),
    ("metro_tui.screens.contract_wizard.dialogs.QuestionDialog", (("question.cancel", "escape"),)),
    (
        "metro_tui.screens.contract_wizard.price_table.PriceTable",
        (("price_table.toggle", "space,enter"),),
    ),
    (
        "metro_tui.screens.contract_wizard.screen.ContractWizard",
        (
            ("wizard.next", "ctrl+n"),
            ("wizard.back", "ctrl+b"),
            ("wizard.close", "escape"),
        ),
    ),
    (
        "metro_tui.screens.customer_detail.CustomerDetailScreen",
        (
            ("detail.back", "escape"),
            ("detail.contract", "n"),
            ("detail.stripe", "s"),
            ("detail.metronome", "m"),
            ("detail.invoice", "v"),
            ("detail.invoices", "i"),
        ),
    ),
    (
        "metro_tui.screens.customers.CustomersPane",
        (
            ("customers.stripe", "s"),
            ("customers.metronome", "m"),
            ("customers.contract", "n"),
            ("customers.all", "a"),
            ("customers.diagnostics", "w"),
            ("customers.clear", "escape"),
            ("customers.to_list", "down"),
        ),
    ),
    (
        "metro_tui.screens.diagnostics.DiagnosticsScreen",
        (
            ("diagnostics.metronome", "m"),
            ("diagnostics.stripe", "s"),
            ("diagnostics.close", "escape"),
        ),
    ),
    ("metro_tui.screens.diagnostics.ProblemTable", (*LIST_KEYS,)),
    ("metro_tui.screens.help.HelpScreen", (("help.close", "escape,question_mark,q"),)),
    ("metro_tui.screens.invoice.InvoiceScreen", (("invoice.back", "escape"),)),
    ("metro_tui.screens.settings.SettingsScreen", (("settings.close", "escape"),)),
    (
        "metro_tui.widgets.customer_table.CustomerTable",
        (
            *LIST_KEYS,
            ("customer_table.select", "enter"),
            ("customer_table.sort_previous", "less_than_sign"),
            ("customer_table.sort_next", "greater_than_sign"),
            ("customer_table.reverse", "minus"),
        ),
    ),
    (
        "metro_tui.widgets.invoice_table.InvoiceTable",
        (
            *LIST_KEYS,
            ("invoice_table.select", "enter"),
        ),
    ),
    ("metro_tui.widgets.page_scroll.PageScroll", (*LIST_KEYS,)),
)
