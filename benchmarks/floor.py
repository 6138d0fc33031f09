"""The floors every speed target is a ratio to, measured in the same `make bench` run.

Absolute times do not carry from one machine to the next, or from a quiet machine to a busy
one, so each start-up figure is judged as a ratio to what any program of its kind costs here
and now, measured the same way (`pty_run`: a real pseudo-terminal, process start to the text
or to exit):

- the app floor: an empty Textual app (Header, a Label, Footer; `floor_app.py`), from process
  start to its first frame's label on the terminal. Nothing a Textual app does can start faster;
- the command floor: `python -c pass` with the same interpreter and environment, to exit.
  A console command such as `metro-tui --help` cannot beat it: it is the interpreter starting
  with `site`, which the command needs to find its packages (`python -S` would skip `site`,
  which no installed command can).

Each floor is measured once per process, the median of `FLOOR_RUNS` runs, and kept: every
benchmark of the run compares with the same value. A `FloorRatio` is a figure judged against
a floor: `.figure()` is its table row, `.line()` its one-line verdict,
"measured / floor = ratio (target <= Nx): pass/FAIL".
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from benchmarks.floor_app import MARKER
from benchmarks.pty_run import run_in_pty
from benchmarks.results import Figure

FLOOR_RUNS = 5
FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"


@dataclass(frozen=True)
class Floor:
    name: str
    seconds: float  # the median of `runs`
    runs: tuple[float, ...]

    def figure(self) -> Figure:
        readings = ", ".join(f"{seconds:.2f}" for seconds in self.runs)
        return Figure(
            f"floor: {self.name}",
            f"{self.seconds:.2f} s (median of {readings} s)",
            "measured in this run; the figures below are ratios to it",
            "",
            None,
            floor=True,
        )


@dataclass(frozen=True)
class FloorRatio:
    """A figure measured as a time and judged as a ratio to a floor."""

    name: str
    seconds: float
    floor: Floor
    target: float | None  # the most the ratio may be; None while no target is set
    reference: str = ""

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor.seconds

    @property
    def passed(self) -> bool | None:
        return None if self.target is None else self.ratio <= self.target

    @property
    def measured(self) -> str:
        return f"{self.seconds:.2f} s / {self.floor.seconds:.2f} s = {self.ratio:.2f}x"

    def line(self) -> str:
        if self.target is None:
            return f"{self.name}: {self.measured} (no target yet)"
        verdict = "pass" if self.passed else "FAIL"
        return f"{self.name}: {self.measured} (target <= {self.target:g}x): {verdict}"

    def figure(self) -> Figure:
        target = "none set" if self.target is None else f"<= {self.target:g}x floor"
        reference = f"floor: {self.floor.name}" + (f"; {self.reference}" if self.reference else "")
        return Figure(self.name, self.measured, reference, target, self.passed)


@functools.cache
def app_floor() -> Floor:
    """Process start to the empty Textual app's first frame, in a 120x40 pty."""
    runs = tuple(
        run_in_pty([sys.executable, str(FLOOR_APP)], until=MARKER).seconds
        for _ in range(FLOOR_RUNS)
    )
    return Floor("empty app's first frame", median(runs), runs)


@functools.cache
def command_floor() -> Floor:
    """Process start to exit of `python -c pass`, in a pty."""
    runs = tuple(
        run_in_pty([sys.executable, "-c", "pass"], until=None).seconds for _ in range(FLOOR_RUNS)
    )
    return Floor("python -c pass", median(runs), runs)
