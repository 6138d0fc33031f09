"""Creating the demo data as a user does: `metro-tui local reset`, in a pty, to its exit.

The command deletes the data file and seeds it again, printing its progress as it goes; the
time runs from process start to exit, so it includes the command's imports. How much of it
the seed itself takes is measured apart, by `seed_database` in this process.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from benchmarks.pty_run import run_in_pty
from metro_tui.local.seed.dataset import SeedOptions, seed_database

TODAY = "2026-11-24"
DONE = "metro-tui local: seeded:"


@dataclass(frozen=True)
class SeedResult:
    customers: int
    command_s: float  # the median of `command_runs_s`
    command_runs_s: tuple[float, ...]
    seed_s: float  # `seed_database` alone, in this process


def demo_data(customers: int, *, runs: int) -> SeedResult:
    """`metro-tui local reset --customers N` timed `runs` times, then the seed alone once."""
    with tempfile.TemporaryDirectory(prefix="metro-tui-bench-seed-") as folder:
        data = Path(folder) / "local.sqlite3"
        command_runs = tuple(_reset(data, customers) for _ in range(runs))
        alone = Path(folder) / "alone.sqlite3"
        started = time.perf_counter()
        seed_database(alone, SeedOptions(customers=customers, today=TODAY))
        seed_s = time.perf_counter() - started
    return SeedResult(customers, median(command_runs), command_runs, seed_s)


def _reset(data: Path, customers: int) -> float:
    command = Path(sys.executable).with_name("metro-tui")
    argv = [str(command), "local", "reset", "--data", str(data), "--today", TODAY]
    run = run_in_pty([*argv, "--customers", str(customers)], until=None)
    if run.exit_status != 0 or DONE not in run.text:
        raise RuntimeError(f"metro-tui local reset failed ({run.exit_status}): {run.text[-500:]}")
    return run.seconds
