"""`metro-tui --help`, process start to exit, against the floor of starting Python at all.

The floor is `python -c pass` with the same interpreter (and so the same site-packages set-up);
the two commands run in turns, so a change in the machine's load hits both alike, and the
median of each is reported.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median


@dataclass(frozen=True)
class HelpResult:
    help_s: float
    floor_s: float
    runs: int

    @property
    def ratio(self) -> float:
        return self.help_s / self.floor_s


def help_time(runs: int = 9) -> HelpResult:
    command = str(Path(sys.executable).with_name("metro-tui"))
    helps, floors = [], []
    for _ in range(runs):
        helps.append(_seconds([command, "--help"]))
        floors.append(_seconds([sys.executable, "-c", "pass"]))
    return HelpResult(median(helps), median(floors), runs)


def _seconds(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started
