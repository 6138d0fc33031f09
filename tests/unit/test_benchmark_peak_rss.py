"""A benchmark's peak RSS is its own process's, not the peak of whatever started it."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PARENT_PEAK_MB = 400
REPORT = (
    "import json, resource\n"
    "from benchmarks.memory import peak_rss_kb\n"
    "print(json.dumps([peak_rss_kb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))\n"
)


def test_a_child_of_a_large_parent_reports_its_own_peak() -> None:
    ballast = bytearray(PARENT_PEAK_MB * 1024 * 1024)
    ballast[::4096] = b"\1" * (len(ballast) // 4096)  # touch every page: resident, not reserved
    del ballast
    parent_peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert parent_peak_kb >= PARENT_PEAK_MB * 1024
    finished = subprocess.run(
        [sys.executable, "-c", REPORT],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    own_kb, inherited_kb = json.loads(finished.stdout)
    # getrusage hands the child its parent's peak; VmHWM is the child's alone (imports only).
    assert inherited_kb >= parent_peak_kb
    assert own_kb < PARENT_PEAK_MB * 1024 / 2
