"""What screens ask the app to do for a customer; the app owns the data and the workers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual.message import Message

if TYPE_CHECKING:
    from metro_tui.view_models import CustomerRow


Dashboard = Literal["stripe", "metronome"]


class CustomerMessage(Message):
    """An intent about one customer row."""

    def __init__(self, row: CustomerRow) -> None:
        super().__init__()
        self.row = row


class CustomerDetailRequested(CustomerMessage):
    """Open the customer detail view."""


class ContractRequested(CustomerMessage):
    """Start the contract wizard for the customer."""


class CustomerLinkRequested(CustomerMessage):
    """Open the customer in the Stripe Dashboard or the Metronome app."""

    def __init__(self, row: CustomerRow, dashboard: Dashboard) -> None:
        super().__init__(row)
        self.dashboard = dashboard


class LinkRequested(Message):
    """Open `url` (a page titled `title`); `names_customer` when the page is one customer's."""

    def __init__(self, title: str, url: str, *, names_customer: bool) -> None:
        super().__init__()
        self.title = title
        self.url = url
        self.names_customer = names_customer


class CustomersOnScreen(Message):
    """The customers a view shows now, by Metronome id: a first load fetches them first."""

    def __init__(self, metronome_customer_ids: list[str]) -> None:
        super().__init__()
        self.metronome_customer_ids = metronome_customer_ids
