"""How a view follows the account: data flows down one way, from the store to every view.

The store derives an `AccountView` from each snapshot it adopts (a partial one while a first
load runs) and the app publishes it as its `account` reactive; when no account could be
loaded at all, it publishes why as `load_failure`. A view calls `follow_account` (and, if it
has somewhere to say so, `follow_load_failure`) once, when mounted: it is called at once with
what is published already, then with every later value, until it is removed. Adding a view of
the account means writing the view, and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.dom import DOMNode

if TYPE_CHECKING:
    from metro_tui.first_paint import FirstPaint
    from metro_tui.view_models import AccountView


ACCOUNT = "account"
"""The app's reactive holding the current `AccountView` (None until there is one)."""
FIRST_PAINT = "first_paint"
"""The app's reactive holding the first screen of the cached account, until the account
itself is published (then None)."""
LOAD_FAILURE = "load_failure"
"""The app's reactive saying why no account could be loaded (None while there is no failure)."""


def follow_account(view: DOMNode, show: Callable[[AccountView], object]) -> None:
    """Call `show` with the current account, if any, and with each one published later."""

    def published(account: AccountView | None) -> None:
        if account is not None:
            show(account)

    view.watch(view.app, ACCOUNT, published)


def follow_first_paint(view: DOMNode, show: Callable[[FirstPaint], object]) -> None:
    """Call `show` with the first screen of the cached account, while the account is read.

    Whatever `show` draws is replaced by the account when it is published.
    """

    def published(paint: FirstPaint | None) -> None:
        if paint is not None:
            show(paint)

    view.watch(view.app, FIRST_PAINT, published)


def follow_load_failure(view: DOMNode, show: Callable[[str], object]) -> None:
    """Call `show` with why no account could be loaded, whenever that is published."""

    def published(reason: str | None) -> None:
        if reason is not None:
            show(reason)

    view.watch(view.app, LOAD_FAILURE, published)
