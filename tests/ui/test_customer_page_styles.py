"""The customer page's stylesheets are parsed once the account is loaded, before the page is
first opened, under the locations Textual gives them: the page's first compose finds them
there and parses none of them again."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.screens.customer_detail import CustomerDetailScreen
from metro_tui.screens.customer_page_styles import FIRST_ON_THE_PAGE
from tests.ui.conftest import make_app, open_customer_page
from tests.ui.seed_facts import linked_customers


def _sources_of(app: MetroApp, name: str) -> int:
    return sum(location == name for _file, location in app.stylesheet.source)


async def test_the_page_stylesheets_are_parsed_before_it_opens_and_not_again(
    settings: Settings, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = asyncio.Event()
    parse = MetroApp._parse_page_styles

    def recorded(app: MetroApp) -> None:
        parse(app)
        parsed.set()

    monkeypatch.setattr(MetroApp, "_parse_page_styles", recorded)
    customer = next(c for c in linked_customers(data_file).values() if c.contracts)
    names = [f"{node_class.__name__}.DEFAULT_CSS" for node_class in FIRST_ON_THE_PAGE]
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await parsed.wait()
        assert [_sources_of(app, name) for name in names] == [1] * len(names)

        await open_customer_page(pilot, customer.stripe_customer_id)
        assert isinstance(app.screen, CustomerDetailScreen)
        # Textual found each one at its own location: none was added a second time.
        assert [_sources_of(app, name) for name in names] == [1] * len(names)
