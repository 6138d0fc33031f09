"""The benchmarks' seeded data files are named by the seed's code, and replaced when it changes."""

from __future__ import annotations

from pathlib import Path

import pytest

import metro_tui.local.seed
from benchmarks import datasets
from metro_tui.local.seed.dataset import SeedOptions


def _fake_seed(calls: list[SeedOptions]) -> object:
    def seed(path: Path, options: SeedOptions) -> None:
        calls.append(options)
        path.write_text("seeded")

    return seed


def test_a_data_file_made_by_other_seed_code_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[SeedOptions] = []
    monkeypatch.setattr(datasets, "BENCH_DIR", tmp_path)
    monkeypatch.setattr(datasets, "seed_database", _fake_seed(calls))
    stale = ["seed1-150-2026-11-24.sqlite3", "seed1-150-2026-11-24-0badc0de-snapshot-v4.json"]
    kept = ["seed1-1500-2026-11-24-0badc0de.sqlite3", "seed2-150-2026-11-24.sqlite3"]
    for name in stale + kept:
        (tmp_path / name).write_text("old")

    path = datasets.seeded_file(150)

    assert path.name == f"seed1-150-2026-11-24-{datasets.seed_code()}.sqlite3"
    assert path.read_text() == "seeded"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, *kept])
    assert datasets.seeded_file(150) == path
    assert calls == [SeedOptions(seed=1, customers=150, today="2026-11-24")]


def test_the_seed_code_follows_the_seed_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = Path(metro_tui.local.seed.__file__).parent
    copy = tmp_path / "seed"
    copy.mkdir()
    for module in source.glob("*.py"):
        (copy / module.name).write_bytes(module.read_bytes())
    actual = datasets.seed_code()
    monkeypatch.setattr(metro_tui.local.seed, "__file__", str(copy / "__init__.py"))
    assert datasets.seed_code() == actual
    with (copy / "usage.py").open("a") as module:
        module.write("# another draw\n")
    assert datasets.seed_code() != actual
