"""Why is a customer missing? The screen lists exactly the broken links the seed planted."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import DataTable, Label

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.api.stripe import StripeGateway
from metro_tui.local.config import BackendConfig
from metro_tui.local.seed.dataset import SeedSummary
from metro_tui.local.server import start_in_thread
from metro_tui.screens.diagnostics import EVERY_CUSTOMER_LINKED, DiagnosticsScreen
from metro_tui.screens.messages import LinkRequested
from metro_tui.services.link_problems import (
    CONFIGURATION_ARCHIVED,
    NO_METRONOME_CUSTOMER,
    NO_STRIPE_CONFIGURATION,
    STRIPE_MISSING,
)
from metro_tui.sync.engine import SyncEngine
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.view_models import link_report
from tests.conftest import TEST_TODAY, TEST_TOKEN

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


class Seeded:
    """A seed run's own summary, its data file, and the snapshot the app syncs from it."""

    def __init__(self, summary: SeedSummary, data: Path, snapshot: AccountSnapshot) -> None:
        self.summary = summary
        self.data = data
        self.snapshot = snapshot

    def archived_stripe_ids(self) -> set[str]:
        """Stripe ids named by the planted archived configurations, read with SQL."""
        ids = self.summary.archived_link_customer_ids
        marks = ",".join("?" * len(ids))
        with sqlite3.connect(self.data) as conn:
            rows = conn.execute(
                "SELECT stripe_customer_id FROM billing_configurations "
                f"WHERE archived_at IS NOT NULL AND customer_id IN ({marks})",
                ids,
            ).fetchall()
        return {stripe_id for (stripe_id,) in rows}


async def _sync(data: Path) -> AccountSnapshot:
    backend = start_in_thread(data, BackendConfig(token=TEST_TOKEN, today=TEST_TODAY))
    metronome = MetronomeGateway(TEST_TOKEN, backend.metronome_url)
    try:
        stripe = StripeGateway(backend.stripe_key, backend.stripe_url)
        return await SyncEngine(metronome, stripe, now=NOW, concurrency=8).run()
    finally:
        await metronome.close()
        backend.stop()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, seeded: tuple[Path, SeedSummary]) -> Seeded:
    """The session's seed (a copy: a server opens it) and the snapshot synced from it."""
    seed, summary = seeded
    data = tmp_path_factory.mktemp("diagnostics") / "seed.sqlite3"
    shutil.copyfile(seed, data)
    return Seeded(summary, data, asyncio.run(_sync(data)))


class DiagnosticsHarness(App[None]):
    """Shows one DiagnosticsScreen and records the links it asks for."""

    def __init__(self, screen: DiagnosticsScreen) -> None:
        super().__init__()
        self.diagnostics = screen
        self.opened: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(self.diagnostics)

    def on_link_requested(self, message: LinkRequested) -> None:
        assert message.names_customer
        self.opened.append(message.url)


def test_lists_exactly_the_planted_broken_links(seeded: Seeded) -> None:
    summary = seeded.summary
    by_problem: dict[str, set[tuple[str | None, str | None]]] = defaultdict(set)
    for problem in link_report(seeded.snapshot).problems:
        ids = (problem.metronome_customer_id, problem.stripe_customer_id)
        by_problem[problem.problem].add(ids)
    archived_stripe_ids = seeded.archived_stripe_ids()

    assert set(by_problem) == {
        STRIPE_MISSING,
        NO_STRIPE_CONFIGURATION,
        CONFIGURATION_ARCHIVED,
        NO_METRONOME_CUSTOMER,
    }
    assert {m for m, _ in by_problem[STRIPE_MISSING]} == set(summary.dangling_link_customer_ids)
    assert by_problem[NO_STRIPE_CONFIGURATION] == {
        (customer_id, None) for customer_id in summary.unconfigured_customer_ids
    }
    assert {m for m, _ in by_problem[CONFIGURATION_ARCHIVED]} == set(
        summary.archived_link_customer_ids
    )
    assert {s for _, s in by_problem[CONFIGURATION_ARCHIVED]} == archived_stripe_ids
    # A Stripe customer whose only link was archived is explained once, by that row.
    assert by_problem[NO_METRONOME_CUSTOMER] == {
        (None, stripe_id)
        for stripe_id in set(summary.unlinked_stripe_customer_ids) - archived_stripe_ids
    }


async def test_rows_open_the_customer_in_metronome_and_stripe(seeded: Seeded) -> None:
    app = DiagnosticsHarness(DiagnosticsScreen(link_report(seeded.snapshot)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        problems = app.diagnostics.problems
        assert table.row_count == len(problems)
        archived = next(i for i, p in enumerate(problems) if p.problem == CONFIGURATION_ARCHIVED)
        missing = next(i for i, p in enumerate(problems) if p.problem == STRIPE_MISSING)

        table.move_cursor(row=archived)
        await pilot.press("m", "s")
        table.move_cursor(row=missing)
        await pilot.press("s")
        await pilot.pause()

        row = problems[archived]
        assert app.opened == [
            f"https://app.metronome.com/customers/{row.metronome_customer_id}",
            f"https://dashboard.stripe.com/test/customers/{row.stripe_customer_id}",
        ]
        advice = app.screen.query_one("#advice")
        assert advice.border_title == f"{STRIPE_MISSING}: {problems[missing].customer_name}"


async def test_the_list_answers_the_keys_every_list_answers(seeded: Seeded) -> None:
    app = DiagnosticsHarness(DiagnosticsScreen(link_report(seeded.snapshot)))
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(DataTable)
        problems = app.diagnostics.problems
        last = len(problems) - 1
        assert last >= 3
        rows = []
        for key in ("j", "j", "k", "G", "g", "end", "home", "down", "pagedown", "up"):
            await pilot.press(key)
            rows.append(table.cursor_row)
        assert rows == [1, 2, 1, last, 0, last, 0, 1, last, last - 1]
        advice = app.screen.query_one("#advice")
        assert advice.border_title == (
            f"{problems[last - 1].problem}: {problems[last - 1].customer_name}"
        )


async def test_an_account_with_no_broken_links_says_so() -> None:
    app = DiagnosticsHarness(DiagnosticsScreen(link_report(AccountSnapshot())))
    async with app.run_test() as pilot:
        await pilot.press("m")
        summary = app.screen.query_one("#diagnostics-summary", Label)
        assert str(summary.render()) == EVERY_CUSTOMER_LINKED
        assert list(app.screen.query(DataTable)) == []
        assert app.opened == []
        await pilot.press("escape")
        assert not isinstance(app.screen, DiagnosticsScreen)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_snapshot(snap_compare: Any, seeded: Seeded, size: tuple[int, int]) -> None:
    assert snap_compare(
        DiagnosticsHarness(DiagnosticsScreen(link_report(seeded.snapshot))), terminal_size=size
    )
