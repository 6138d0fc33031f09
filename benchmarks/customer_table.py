"""The Customers table at 10,000 and 100,000 rows, each in a fresh process for a clean RSS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.backend import serve
from benchmarks.datasets import TODAY, seeded_file, working_copy

TOKEN = "bench-token"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 300


@dataclass(frozen=True)
class TableResult:
    customers: int
    rows: int
    load_s: float
    derive_rows_s: float
    first_rows_s: float
    stall_s: float
    sort_s: tuple[float, ...]
    sort_stall_s: float
    keystroke_s: tuple[float, ...]
    counted_s: tuple[float, ...]
    """From each keystroke to every match counted (the first screen's are drawn first)."""
    filter_stall_s: float
    search: str
    matches: int
    max_rss_mb: float
    load: tuple[float, float]
    """The machine's 1-minute load average as the run started and as it ended."""


def cached_snapshot(customers: int) -> Path:
    """The seeded account's snapshot file, made once (its account-wide lists need a server)."""
    from benchmarks.snapshots import snapshot_file

    source = seeded_file(customers)
    with tempfile.TemporaryDirectory() as folder:
        data = working_copy(source, Path(folder))
        with serve(data, token=TOKEN, today=TODAY) as backend:
            return snapshot_file(source, backend, TODAY)


def customer_table(customers: int) -> TableResult:
    snapshot = cached_snapshot(customers)
    load_before = os.getloadavg()[0]
    finished = subprocess.run(
        [sys.executable, "-m", "benchmarks.customer_table_app", str(snapshot), TODAY],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"the table benchmark failed:\n{finished.stderr[-2000:]}")
    report = json.loads(finished.stdout.strip().splitlines()[-1])
    return TableResult(
        customers=customers,
        rows=report["rows"],
        load_s=report["load_s"],
        derive_rows_s=report["derive_rows_s"],
        first_rows_s=report["first_rows_s"],
        stall_s=report["stall_s"],
        sort_s=tuple(report["sort_s"]),
        sort_stall_s=report["sort_stall_s"],
        keystroke_s=tuple(report["keystroke_s"]),
        counted_s=tuple(report["counted_s"]),
        filter_stall_s=report["filter_stall_s"],
        search=report["search"],
        matches=report["matches"],
        max_rss_mb=report["max_rss_kb"] / 1024,
        load=(load_before, os.getloadavg()[0]),
    )
