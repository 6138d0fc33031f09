"""The seeded data file appears only once complete, with the schema every data file has."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from metro_tui.local.db import Database
from metro_tui.local.seed.dataset import SeedOptions, seed_database
from tests.conftest import TEST_TODAY

SMALL = SeedOptions(seed=3, customers=12, today=TEST_TODAY)


class Stopped(Exception):
    pass


def customer_count(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (count,) = conn.execute("SELECT count(*) FROM customers").fetchone()
        return int(count)
    finally:
        conn.close()


def stop_at_usage_events(stage: str, done: int, total: int) -> None:
    if stage == "usage events":
        raise Stopped


def test_a_seed_stopped_part_way_leaves_the_data_file_empty_and_nothing_beside_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "data.sqlite3"
    Database(path).close()  # as the app leaves it when it finds no data

    with pytest.raises(Stopped):
        seed_database(path, SMALL, progress=stop_at_usage_events)

    assert [p.name for p in tmp_path.iterdir()] == ["data.sqlite3"]
    assert customer_count(path) == 0
    # The next seed is not refused: the file is still empty.
    assert seed_database(path, SMALL).counts["customers"] == customer_count(path) == 13


def test_a_killed_seed_leaves_no_data_file_and_the_next_seed_completes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "data.sqlite3"
    program = (
        "import sys; from pathlib import Path; "
        "from metro_tui.local.seed.dataset import SeedOptions, seed_database; "
        "report = lambda stage, done, total: print(stage, flush=True) or sys.stdin.readline(); "
        f"seed_database(Path(sys.argv[1]), SeedOptions(seed=3, customers=12, today={TEST_TODAY!r}),"
        " report)"
    )
    seeding = subprocess.Popen(
        [sys.executable, "-c", program, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert seeding.stdin is not None and seeding.stdout is not None
    # Each report waits for an answer; killed at its first report of usage events, by when
    # the customers, contracts and invoices are written.
    while (line := seeding.stdout.readline()) != "usage events\n":
        assert line, "the seed ended before writing usage events"
        seeding.stdin.write("\n")
        seeding.stdin.flush()
    seeding.kill()
    seeding.wait()

    # As `metro-tui local reset` leaves it: no data file, only what the killed seed wrote.
    assert [p.name for p in tmp_path.iterdir()] == ["data.sqlite3.seeding"]
    assert seed_database(path, SMALL).counts["customers"] == customer_count(path) == 13
    assert not (tmp_path / "data.sqlite3.seeding").exists()


def schema(path: Path) -> tuple[set[tuple[str, str, str, str]], list[object]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        objects = set(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        pragmas = [
            conn.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "page_size", "user_version")
        ]
        return objects, pragmas
    finally:
        conn.close()


def test_the_seeded_file_has_the_schema_and_settings_of_any_data_file(tmp_path: Path) -> None:
    seeded = tmp_path / "seeded.sqlite3"
    seed_database(seeded, SMALL)
    Database(tmp_path / "new.sqlite3").close()

    objects, pragmas = schema(seeded)
    assert (objects, pragmas) == schema(tmp_path / "new.sqlite3")
    assert pragmas == ["wal", 16_384, 2]
    assert ("index", "usage_events_transaction", "usage_events") in {o[:3] for o in objects}
