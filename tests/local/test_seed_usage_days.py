"""The usage events drawn in a second process: the same data file, and a clear failure.

Each seed runs in a process of its own: the seed forks only while it is its process's one
thread, and a test worker has several.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_TODAY

SEED = f"""
import os, sys, threading
from pathlib import Path
from metro_tui.local.seed import usage_days
from metro_tui.local.seed.dataset import SeedOptions, seed_database

forks = []
fork = os.fork
def counted_fork():
    forks.append(1)
    return fork()
os.fork = counted_fork
{{setup}}
try:
    seed_database(Path(sys.argv[1]), SeedOptions(seed=3, customers=12, today={TEST_TODAY!r}))
except Exception as failure:
    print(type(failure).__name__, failure)
print("forks", len(forks))
try:
    os.waitpid(-1, os.WNOHANG)
    print("a child process is left")
except ChildProcessError:
    print("no child process is left")
"""


def seed_alone(path: Path, setup: str = "") -> list[str]:
    """Seed `path` in a process of its own; what it printed, line by line."""
    run = subprocess.run(
        [sys.executable, "-c", SEED.format(setup=setup), str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.splitlines()


ANOTHER_THREAD = "threading.Thread(target=threading.Event().wait, daemon=True).start()"


def test_the_events_drawn_in_a_second_process_make_the_same_data_file(tmp_path: Path) -> None:
    forked = tmp_path / "forked.sqlite3"
    assert seed_alone(forked) == ["forks 1", "no child process is left"]
    # With another thread running, the seed draws the events itself.
    alone = tmp_path / "alone.sqlite3"
    assert seed_alone(alone, ANOTHER_THREAD) == ["forks 0", "no child process is left"]

    assert forked.read_bytes() == alone.read_bytes()


def stopping_at(stage: str) -> str:
    """A seed whose progress raises at its first report of `stage`."""
    return f"""
from metro_tui.local.seed import dataset
seed = dataset.seed_database
class Stopped(Exception):
    pass
def stop_at(stage, done, total):
    if stage == {stage!r}:
        raise Stopped("at " + stage)
seed_database = lambda path, options: seed(path, options, stop_at)
"""


FAILURES = {
    "the drawing fails": (
        """
def failing(plan, writer):
    raise ValueError("no usage today")
    yield
usage_days.drawn_days = failing
""",
        "UsageDrawingFailed drawing the usage events failed: ValueError: no usage today",
    ),
    "the drawing process dies": (
        """
drawn_days = usage_days.drawn_days
def dying(plan, writer):
    days = drawn_days(plan, writer)
    yield next(days)
    os._exit(3)
usage_days.drawn_days = dying
""",
        "UsageDrawingFailed the process drawing the usage events stopped",
    ),
    "the seed stops while writing invoices": (stopping_at("invoices"), "Stopped at invoices"),
    "the seed stops while storing usage events": (
        stopping_at("usage events"),
        "Stopped at usage events",
    ),
}


@pytest.mark.parametrize("failure", FAILURES)
def test_a_seed_that_fails_while_the_events_are_drawn_says_why_and_leaves_nothing(
    tmp_path: Path, failure: str
) -> None:
    """No data file, and the drawing process stopped and reaped."""
    setup, message = FAILURES[failure]
    path = tmp_path / "data.sqlite3"
    assert seed_alone(path, setup) == [message, "forks 1", "no child process is left"]
    assert list(tmp_path.iterdir()) == []
