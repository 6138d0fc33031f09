"""Links to the dashboards: shown and copied always, opened only where a browser can open."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Label

import metro_tui.app
from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.links import browser_opens_a_window
from metro_tui.session.connection import open_connection
from tests.ui.keyboard import filter_customers
from tests.ui.seed_facts import linked_customers

DOCS = "https://docs.metronome.com"
APP = "https://app.metronome.com"


class NoticedApp(MetroApp):
    """The app, keeping the notifications it shows as (title, message)."""

    notices: list[tuple[str, str]]

    def notify(self, message: str, **options: Any) -> None:
        self.notices = [*getattr(self, "notices", []), (options.get("title", ""), message)]
        super().notify(message, **options)


def _app(settings: Settings, data_file: Path, *, demo: bool = True) -> NoticedApp:
    local_data = data_file if demo else None
    return NoticedApp(settings, open_connection(settings, local_data=local_data))


def _shown(url: str, *demo_note: str) -> str:
    return "\n".join([url, "Copied to the clipboard.", *demo_note])


async def test_link_keys_show_and_copy_the_link_when_no_browser_opens(
    settings: Settings, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(metro_tui.app, "browser_opens_a_window", lambda: False)
    customer = min(linked_customers(data_file).values(), key=lambda c: c.stripe_customer_id)
    app = _app(settings, data_file)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    copied: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        for keys in (["o"], ["d"], ["slash", *customer.stripe_customer_id, "enter", "s"], ["m"]):
            await pilot.press(*keys)
            copied.append(app.clipboard)
    stripe = f"https://dashboard.stripe.com/test/customers/{customer.stripe_customer_id}"
    metronome = f"{APP}/customers/{customer.metronome_customer_id}"
    assert opened == []
    assert copied == [APP, DOCS, stripe, metronome]
    assert app.notices == [
        ("Metronome app", _shown(APP)),
        ("Metronome documentation", _shown(DOCS)),
        (
            "Stripe Dashboard",
            _shown(
                stripe,
                "Demo data: the link goes to the real Stripe Dashboard, where this demo "
                "customer does not exist.",
            ),
        ),
        (
            "Metronome app",
            _shown(
                metronome,
                "Demo data: the link goes to the real Metronome app, where this demo "
                "customer does not exist.",
            ),
        ),
    ]


async def test_a_browser_opens_the_link_and_a_live_account_has_no_demo_note(
    settings: Settings, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(metro_tui.app, "browser_opens_a_window", lambda: True)
    customer = min(linked_customers(data_file).values(), key=lambda c: c.stripe_customer_id)
    app = _app(settings, data_file, demo=False)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await filter_customers(pilot, customer.stripe_customer_id)
        await pilot.press("enter", "m")
    metronome = f"{APP}/customers/{customer.metronome_customer_id}"
    assert opened == [metronome]
    assert app.notices[-1] == ("Metronome app", _shown(metronome))


async def test_the_overview_documentation_link_opens_the_documentation(
    settings: Settings, data_file: Path
) -> None:
    app = _app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        links = app.query_one("#links", Label)
        text = str(links.render())
        await pilot.click(links, offset=(text.index("Metronome documentation") + 2, 0))
        assert app.clipboard == DOCS
        await pilot.click(links, offset=(text.index("Open Metronome") + 2, 0))
        assert app.clipboard == APP
    assert [title for title, _ in app.notices] == ["Metronome documentation", "Metronome app"]


@pytest.mark.parametrize(
    ("browser", "opens"),
    [
        (webbrowser.BackgroundBrowser("xdg-open"), True),
        (webbrowser.Mozilla("firefox"), True),
        (webbrowser.GenericBrowser("lynx"), False),
    ],
    ids=["xdg-open", "firefox", "a text browser in this terminal"],
)
def test_only_a_browser_with_its_own_window_counts(
    browser: webbrowser.BaseBrowser, opens: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webbrowser, "get", lambda: browser)
    assert browser_opens_a_window() is opens


def test_no_browser_at_all_opens_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def none_found() -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", none_found)
    assert browser_opens_a_window() is False
