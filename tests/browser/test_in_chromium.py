"""The served app in a real browser: Debian's Chromium, driven by Playwright.

The figures on screen are checked against the data file, computed here with SQL (the
`seed_facts` helpers), not with the app's code.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import BrowserContext

from tests.browser.conftest import SCREENSHOT, ServedApp
from tests.browser.terminal import Terminal
from tests.ui.seed_facts import (
    LinkedCustomer,
    finalized_by_month,
    linked_customers,
    new_metronome_customers,
    rate_card_names,
)

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
TABLE_FOCUSED = "⏎ Open"
"""The footer's first key while the Customers table has the focus."""


def dollars(cents: int) -> str:
    return f"${Decimal(cents) / 100:,.2f}"


def card_value(screen: str, title: str) -> str:
    """The first line inside the bordered card titled `title`."""
    lines = screen.splitlines()
    row = next(i for i, line in enumerate(lines) if f"─ {title} ─" in line)
    left = lines[row].index(f"─ {title} ─") - 1
    return lines[row + 1][left + 1 :].split("│", 1)[0].strip()


def labelled(screen: str, label: str) -> str:
    """What follows `label` on its line, up to the panel's border."""
    line = next(line for line in screen.splitlines() if f"│ {label} " in line)
    return line.split(f"│ {label} ", 1)[1].split("│", 1)[0].strip()


def busiest(data_file: Path) -> LinkedCustomer:
    """The linked customer with the most contracts (ties by Stripe id)."""
    linked = linked_customers(data_file)
    return max(linked.values(), key=lambda c: (len(c.contracts), c.stripe_customer_id))


def opened_by(context: BrowserContext, terminal: Terminal, key: str) -> str:
    """The address of the browser tab that pressing `key` opens."""
    with context.expect_page() as opened:
        terminal.press(key)
    page = opened.value
    page.wait_for_load_state()
    url = page.url
    page.close()
    return url


def test_overview_customers_and_a_customer_in_chromium(
    serve_local: Callable[..., ServedApp], chromium: BrowserContext, data_file: Path
) -> None:
    served = serve_local()
    known = busiest(data_file)
    linked = linked_customers(data_file)
    terminal = Terminal(chromium.pages[0])
    terminal.open(served.url)

    screen = terminal.wait_for("Local demo data", "Up to date", "Revenue last month")
    assert card_value(screen, "Revenue last month") == dollars(
        finalized_by_month(data_file, 2026, 10)
    )
    assert card_value(screen, "New customers") == str(
        new_metronome_customers(data_file, NOW - timedelta(days=30), NOW)
    )
    if os.environ.get(SCREENSHOT):
        terminal.page.screenshot(path=os.environ[SCREENSHOT])

    assert opened_by(chromium, terminal, "o") == "https://app.metronome.com/"
    assert opened_by(chromium, terminal, "d") == "https://docs.metronome.com/"

    terminal.press("2")
    terminal.wait_for(f"{len(linked)} linked customers", TABLE_FOCUSED)
    terminal.press("/")
    terminal.wait_for("Filter by name, email or id", absent=(TABLE_FOCUSED,))
    terminal.type(known.stripe_customer_id)
    terminal.wait_for(
        f"1 of {len(linked)} linked customers match “{known.stripe_customer_id}”",
        absent=(TABLE_FOCUSED,),
    )
    terminal.press("Enter")
    terminal.wait_for(TABLE_FOCUSED)
    terminal.press("Enter")

    names = rate_card_names(data_file)
    contract_names = [
        str(doc.get("name") or names[str(doc["rate_card_id"])]) for doc in known.contracts
    ]
    screen = terminal.wait_for(
        f"Customer — {known.name}", f"Contracts ({len(known.contracts)})", *contract_names
    )
    assert labelled(screen, "Stripe ID") == known.stripe_customer_id
    assert labelled(screen, "Customer ID") == known.metronome_customer_id
    assert labelled(screen, "Lifetime billings") == dollars(known.lifetime_billings_cents)

    stripe_url = f"https://dashboard.stripe.com/test/customers/{known.stripe_customer_id}"
    metronome_url = f"https://app.metronome.com/customers/{known.metronome_customer_id}"
    before = terminal.copies_so_far()
    assert opened_by(chromium, terminal, "s") == stripe_url
    assert opened_by(chromium, terminal, "m") == metronome_url
    # Each link is also copied, for a browser that blocks the new tab.
    assert terminal.copied(before) == {"text": stripe_url, "error": None}
    assert terminal.copied(before + 1) == {"text": metronome_url, "error": None}

    # Copying the filter's text reaches the browser's clipboard (OSC 52, through xterm.js).
    terminal.press("Escape")
    terminal.wait_for(TABLE_FOCUSED, absent=(f"Customer — {known.name}",))
    terminal.press("/")
    terminal.wait_for(known.stripe_customer_id, absent=(TABLE_FOCUSED,))
    before = terminal.copies_so_far()
    terminal.press("Shift+Home", "Control+c")
    assert terminal.copied(before) == {"text": known.stripe_customer_id, "error": None}
    assert terminal.page.evaluate("navigator.clipboard.readText()") == known.stripe_customer_id
