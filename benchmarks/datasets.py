"""Seeded data files, made once and kept under `.bench/` in the project.

Seeding 100,000 customers takes over a minute, so each file is kept, named by what makes it
unique (seed, size, day); a file is written under a temporary name and renamed when complete,
so an interrupted run never leaves a half-seeded file that looks finished.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from metro_tui.local.seed.dataset import SeedOptions, seed_database

BENCH_DIR = Path(__file__).resolve().parent.parent / ".bench"
SEED = 1
TODAY = "2026-11-24"


def seeded_file(customers: int, *, seed: int = SEED, today: str = TODAY) -> Path:
    """The seeded data file for this size, seeding it first if it is not cached yet."""
    path = BENCH_DIR / f"seed{seed}-{customers}-{today}.sqlite3"
    if path.exists():
        return path
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    _remove_database(partial)
    seed_database(partial, SeedOptions(seed=seed, customers=customers, today=today))
    partial.rename(path)
    _remove_database(partial)
    return path


def working_copy(source: Path, folder: Path) -> Path:
    """A private copy to serve, so the server's write-ahead log never touches the cached file."""
    copy = folder / source.name
    shutil.copyfile(source, copy)
    return copy


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
