"""The app's first frame needs Textual and what draws the Overview, not the SDKs, the sync
engine or the hidden Customers tab: those are imported after that frame. Settings are gathered
from their sources without pydantic-settings, plainly valid ones are taken without pydantic,
and a keyring that is switched on is read for the stored credentials before the app starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SDK_PACKAGES = frozenset({"metronome", "stripe", "httpx", "httpcore", "requests"})
"""The SDKs and their HTTP stacks: about a second of imports, more than a first frame takes."""
OPENED_ON_REQUEST = frozenset(
    {
        "metro_tui.screens.customer_detail",
        "metro_tui.screens.contract_wizard",
        "metro_tui.screens.settings",
        "metro_tui.screens.connect",
        "metro_tui.screens.diagnostics",
        "metro_tui.screens.help",
        "metro_tui.drafts",
    }
)
"""Screens a key opens, and the wizard's drafts: not needed to draw the first frame."""
DRAWN_AFTER_FIRST_FRAME = frozenset({"metro_tui.widgets.usage_plot", "textual_plotext", "plotext"})
"""The usage chart's plot: its figures are in the legend of the first frame."""
COMPOSED_AFTER_FIRST_FRAME = frozenset(
    {"metro_tui.screens.customers", "metro_tui.widgets.customer_table"}
)
"""The Customers tab and its table: hidden at start."""
SYNCED_AFTER_FIRST_FRAME = frozenset(
    {"metro_tui.sync.engine", "metro_tui.partial_views", "metro_tui.session.sign_in"}
)
"""The refresh, which starts after the cache is read, and what it needs when it fails."""

DECODED_AFTER_FIRST_FRAME = frozenset(
    {
        "metro_tui.models",
        "metro_tui.view_models",
        "metro_tui.sync.snapshot_codec",
        "metro_tui.config",
    }
)
"""The domain models, what is derived from them, the cache's codec and the pydantic settings:
the cache is read after the first frame."""

MODULES_AT_FIRST_FRAME = """\
import asyncio
import sys

from metro_tui.app import MetroApp
from metro_tui.cli import connected
from metro_tui.start_settings import load_start_settings


reported = asyncio.Event()


class FirstFrame(MetroApp):
    def on_mount(self) -> None:
        # Textual calls this before MetroApp.on_mount, so this callback runs after the first
        # frame and before anything the app itself waits on that frame for.
        self.call_after_refresh(self.report)

    def report(self) -> None:
        with open(sys.argv[1], "w") as report:  # Textual captures print() while it runs
            report.write(" ".join(sorted(sys.modules)))
        reported.set()


async def main() -> None:
    with connected(load_start_settings()) as (settings, connection):
        # A start with a cache (read after the first frame, whatever it holds): a start with
        # nothing cached begins importing the SDKs at once, in a thread.
        connection.cache.path.parent.mkdir(parents=True, exist_ok=True)
        connection.cache.path.write_text("not a snapshot")
        async with FirstFrame(settings, connection).run_test():
            await reported.wait()


asyncio.run(main())
print("exited", file=sys.stderr)
"""
"""Starts the app as `metro-tui` does (settings, connection), with a cache, headless, and writes
the modules imported when its first frame is drawn into the file named by its argument."""


def test_the_first_frame_imports_no_sdk(tmp_path: Path) -> None:
    report = tmp_path / "modules.txt"
    # A config file with plainly valid values (not a keymap: checking one imports every
    # screen whose keys it may name, see `keymap.py`).
    (tmp_path / "config.toml").write_text(
        'theme = "textual-light"\ntoday = 2026-11-24\nconcurrency = 8\n', encoding="utf-8"
    )
    env = {
        **os.environ,
        "METRO_TUI_CONFIG": str(tmp_path / "config.toml"),
        "METRO_TUI_KEYRING": "0",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        # Nothing listens there: the app never gets as far as a request in this test.
        "METRONOME_BASE_URL": "http://127.0.0.1:9",
        "METRONOME_BEARER_TOKEN": "token-for-the-start-test",
        "STRIPE_API_BASE": "http://127.0.0.1:9/stripe",
        "STRIPE_API_KEY": "sk_test_start",
    }
    result = subprocess.run(
        [sys.executable, "-c", MODULES_AT_FIRST_FRAME, str(report)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith("exited\n")
    modules = set(report.read_text().split())
    imported = {name.partition(".")[0] for name in modules}
    assert {"textual", "metro_tui"} <= imported
    assert imported & SDK_PACKAGES == set()
    assert modules & OPENED_ON_REQUEST == set()
    assert modules & DRAWN_AFTER_FIRST_FRAME == set()
    assert modules & COMPOSED_AFTER_FIRST_FRAME == set()
    assert modules & SYNCED_AFTER_FIRST_FRAME == set()
    # The settings' sources are read by the app's own code, not by pydantic-settings.
    assert imported & {"pydantic_settings", "dotenv"} == set()
    # Plainly valid settings need no pydantic, and the first frame is drawn from the first
    # paint's plain figures: pydantic, the domain models and the snapshot's codec come after.
    assert "pydantic" not in imported
    assert modules & DECODED_AFTER_FIRST_FRAME == set()
    # Switched off, the keyring is never asked for credentials, so never imported.
    assert "keyring" not in imported
