"""Where a customer lives in the Stripe Dashboard and in the Metronome app."""

from __future__ import annotations

import webbrowser
from typing import Literal

METRONOME_APP_URL = "https://app.metronome.com"
METRONOME_DOCS_URL = "https://docs.metronome.com"
STRIPE_DASHBOARD_URL = "https://dashboard.stripe.com"

MetronomePage = Literal["app", "docs"]
"""A page of Metronome's own, as `o` and `d` (and the Overview's links) name it."""
METRONOME_PAGES: dict[MetronomePage, tuple[str, str]] = {
    "app": ("Metronome app", METRONOME_APP_URL),
    "docs": ("Metronome documentation", METRONOME_DOCS_URL),
}
"""Each page's title and address."""


def metronome_customer_url(metronome_customer_id: str) -> str:
    return f"{METRONOME_APP_URL}/customers/{metronome_customer_id}"


def stripe_customer_url(stripe_customer_id: str, *, livemode: bool) -> str:
    """Test-mode customers live under /test in the Dashboard."""
    mode = "" if livemode else "/test"
    return f"{STRIPE_DASHBOARD_URL}{mode}/customers/{stripe_customer_id}"


def browser_opens_a_window() -> bool:
    """Whether the default browser opens a window of its own.

    None is found over SSH, on a server or in a container. A text browser (lynx, w3m) is
    started in the foreground of this very terminal: it would draw over the app and block it
    until it quit, so it counts as none.
    """
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    return type(browser) is not webbrowser.GenericBrowser
