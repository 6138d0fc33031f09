"""Seeded data files, made once and kept under `.bench/` in the project.

Seeding 100,000 customers takes over a minute, so each file is kept, named by what makes it
unique (seed, size, day, and the seed's code, so a change to what the seed writes is never
measured on data it no longer makes); a file is written under a temporary name and renamed
when complete, so an interrupted run never leaves a half-seeded file that looks finished.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import metro_tui.local.seed
from metro_tui.local.seed.dataset import SeedOptions, seed_database

BENCH_DIR = Path(__file__).resolve().parent.parent / ".bench"
SEED = 1
TODAY = "2026-11-24"


def seed_code() -> str:
    """A short digest of the seed's modules: it names the data files they made."""
    digest = hashlib.sha256()
    for module in sorted(Path(metro_tui.local.seed.__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()[:8]


def seeded_file(customers: int, *, seed: int = SEED, today: str = TODAY) -> Path:
    """The seeded data file for this size, seeding it first if it is not cached yet; files
    of the same size made by an earlier seed (and their snapshots) are removed then."""
    stem = f"seed{seed}-{customers}-{today}"
    path = BENCH_DIR / f"{stem}-{seed_code()}.sqlite3"
    if path.exists():
        return path
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for older in BENCH_DIR.glob(f"{stem}*"):
        older.unlink()
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
