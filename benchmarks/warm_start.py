"""Warm start: from starting the app's process to the account's exact figures on screen.

The cache holds the snapshot of a seeded account and its first paint (as the app leaves them
after a load); the app starts against a live local backend (so its background refresh runs as
it would for a user). Two ways, both from just before the process is spawned:

- headless (`warm_start_app.py`): to the first frame whose output holds the exact total
  revenue, and to the frame after the whole snapshot has been read and the customer table
  holds every row;
- in a real pseudo-terminal (`pty_run`), the app as `metro-tui` runs it: to the exact total
  revenue appearing in the terminal's output.
"""

from __future__ import annotations

import compileall
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from statistics import median_low

from benchmarks.backend import BackendProcess, serve
from benchmarks.datasets import TODAY, seeded_file, working_copy
from benchmarks.pty_run import run_in_pty
from benchmarks.snapshots import snapshot_file
from metro_tui.first_paint import FirstPaintFile, first_paint_of
from metro_tui.services.clock import now_for
from metro_tui.services.money import format_cents
from metro_tui.sync.cache import SnapshotCache, account_key
from metro_tui.view_models import account_view

TOKEN = "bench-token"
LATENCY_MS = 50
TIMEOUT_S = 120
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class WarmStartResult:
    customers: int
    rows: int
    imports_s: float
    first_figures_s: float
    """To the first frame showing the exact total revenue (drawn from the first paint)."""
    populated_s: float
    customers_tab_s: float
    """From the key that shows the Customers tab to the frame that shows it."""
    max_rss_mb: float
    first_figures_runs_s: tuple[float, ...]
    """Every run's figure, in the order run; the fields above are the median run's."""
    pty_runs_s: tuple[float, ...]
    """In a pty: process start to the exact total revenue in the terminal, every run."""

    @property
    def pty_s(self) -> float:
        return median_low(self.pty_runs_s)


def warm_start(customers: int, runs: int = 3, pty_runs: int = 3) -> WarmStartResult:
    """`runs` headless starts and `pty_runs` starts in a pty, each from the same cache; the
    median run is reported.

    One start takes about a second, so the other jobs of a shared machine move a single
    reading by a tenth of a second or more.
    """
    source = seeded_file(customers)
    _compile_the_app()
    reports = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = working_copy(source, root)
        # Write the copy out now, rather than while the measured process starts.
        os.sync()
        with serve(data, token=TOKEN, today=TODAY, latency_ms=LATENCY_MS) as backend:
            cached = snapshot_file(source, backend, TODAY)
            cache_root = root / "cache"
            cache_root.mkdir()
            key = account_key(backend.metronome_url, backend.metronome_token)
            cache = SnapshotCache(cache_root, key)
            shutil.copyfile(cached, cache.path)
            total = _write_first_paint(cache)
            painted = root / "first-paint.json"
            shutil.copyfile(cache.first_paint_path, painted)

            def fresh_cache() -> None:
                # Each start finds the same cache, whatever its refresh wrote the time before.
                shutil.copyfile(cached, cache.path)
                shutil.copyfile(painted, cache.first_paint_path)

            for _ in range(runs):
                fresh_cache()
                reports.append(_run_app(backend, cache_root, root, total))
            pty_seconds = []
            for _ in range(pty_runs):
                fresh_cache()
                pty_seconds.append(_run_in_pty(backend, cache_root, root, total))
    first = [report["first_figures"] - report["spawned"] for report in reports]
    report = reports[first.index(median_low(first))]
    spawned = report["spawned"]
    return WarmStartResult(
        customers=customers,
        rows=int(report["rows"]),
        imports_s=report["imported"] - spawned,
        first_figures_s=report["first_figures"] - spawned,
        populated_s=report["populated"] - spawned,
        customers_tab_s=report["customers_shown"] - report["pressed"],
        max_rss_mb=report["max_rss_kb"] / 1024,
        first_figures_runs_s=tuple(first),
        pty_runs_s=tuple(pty_seconds),
    )


def _compile_the_app() -> None:
    """Write the app's bytecode, as installing it does and as its first start does. Where
    PYTHONDONTWRITEBYTECODE is set (as in this machine's shells) nothing writes it, so every
    measured start compiled some 50 of the app's modules again: 70 ms of CPU that no user's
    start spends, and that the floor (Textual, installed with its bytecode) never did."""
    compileall.compile_dir(PROJECT_ROOT / "metro_tui", quiet=1)


def _write_first_paint(cache: SnapshotCache) -> str:
    """Leave the first paint the app writes after a load; returns the total it shows."""
    snapshot = cache.load().snapshot
    if snapshot is None:
        raise RuntimeError(f"the benchmark's snapshot {cache.path} could not be read")
    now = now_for(date.fromisoformat(TODAY))
    account = account_view(snapshot, now)
    FirstPaintFile(cache).store(first_paint_of(account), now.date())
    return format_cents(account.overview.total_revenue_cents)


def _run_in_pty(backend: BackendProcess, cache_root: Path, home: Path, total: str) -> float:
    """`metro-tui` in a 120x40 pty, from process start to `total` in the terminal."""
    env = {
        **_private_dirs(home),
        "METRONOME_BEARER_TOKEN": backend.metronome_token,
        "METRONOME_BASE_URL": backend.metronome_url,
        "STRIPE_API_KEY": backend.stripe_key,
        "STRIPE_API_BASE": backend.stripe_url,
        "METRO_TUI_CACHE_DIR": str(cache_root),
        "METRO_TUI_KEYRING": "0",
    }
    command = [str(Path(sys.executable).with_name("metro-tui")), "--today", TODAY]
    return run_in_pty(command, until=total, env=env, cwd=str(PROJECT_ROOT)).seconds


def _private_dirs(home: Path) -> dict[str, str]:
    """Keep the user's own config, data and drafts out of the measured process."""
    return {
        "METRO_TUI_CONFIG": str(home / "config.toml"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "xdg-cache"),
    }


def _run_app(backend: BackendProcess, cache_root: Path, home: Path, total: str) -> dict[str, float]:
    settings = {
        "total": total,
        "metronome_url": backend.metronome_url,
        "metronome_token": backend.metronome_token,
        "stripe_url": backend.stripe_url,
        "stripe_key": backend.stripe_key,
        "today": TODAY,
        "cache_root": str(cache_root),
    }
    env = {**os.environ, **_private_dirs(home)}
    command = [sys.executable, "-m", "benchmarks.warm_start_app", json.dumps(settings)]
    spawned = time.monotonic()
    finished = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"the warm-start app failed:\n{finished.stderr[-2000:]}")
    report: dict[str, float] = json.loads(finished.stdout.strip().splitlines()[-1])
    report["spawned"] = spawned
    return report
