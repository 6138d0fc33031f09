"""The customer page's stylesheets, parsed while the app is idle, before a page is first opened.

Textual parses a widget class's `DEFAULT_CSS` when the first widget of that class is mounted,
and the customer page is the first to mount its buttons, its panels and itself: its first
compose parsed their stylesheets, about 29,000 Python calls (23,000 of them Button's), in the
same turn of the event loop as the compose itself, one of the opening's longest. Added to the
app's stylesheet beforehand, under the location Textual gives each class's own `DEFAULT_CSS`,
they are found there when the page mounts: the same source at the same location is neither
added nor parsed again.
"""

from __future__ import annotations

import inspect
from typing import Any

from textual.app import App
from textual.dom import DOMNode
from textual.widgets import Button

from metro_tui.screens.customer_detail import CustomerDetailScreen
from metro_tui.widgets.contracts_panel import ContractsPanel
from metro_tui.widgets.identities_panel import IdentitiesPanel
from metro_tui.widgets.invoice_table import InvoiceTable
from metro_tui.widgets.monthly_billings import MonthlyBillings

FIRST_ON_THE_PAGE: tuple[type[DOMNode], ...] = (
    Button,
    CustomerDetailScreen,
    ContractsPanel,
    IdentitiesPanel,
    InvoiceTable,
    MonthlyBillings,
)
"""Classes whose own stylesheet no other part of the app mounts before the customer page."""


def parse_customer_page_styles(app: App[Any]) -> None:
    """Add each class's own `DEFAULT_CSS` to the app's stylesheet, then parse what is new."""
    stylesheet = app.stylesheet
    for node_class in FIRST_ON_THE_PAGE:
        css = node_class.__dict__.get("DEFAULT_CSS", "")
        if not css:
            continue
        scoped = node_class.__dict__.get("SCOPED_CSS", True)
        stylesheet.add_source(
            css,
            read_from=_location(node_class),
            is_default_css=True,
            tie_breaker=0,  # a class's own stylesheet comes first among its bases'
            scope=node_class.__name__ if scoped else "",
        )
    stylesheet.parse()


def _location(node_class: type[DOMNode]) -> tuple[str, str]:
    """Where Textual says a class's own `DEFAULT_CSS` comes from (its file and name): the
    same location and source is how it knows the stylesheet is already there."""
    name = f"{node_class.__name__}.DEFAULT_CSS"
    try:
        return (inspect.getfile(node_class), name)
    except (TypeError, OSError):
        return ("", name)
