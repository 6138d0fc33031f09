"""A measuring process's own peak memory."""

from __future__ import annotations

import resource


def peak_rss_kb() -> int:
    """This process's own peak resident memory, in KiB.

    Not `getrusage(RUSAGE_SELF).ru_maxrss`: Linux carries the peak of the process that
    started this one into it (a parent of 400 MB gave its 13 MB child 413 MB), and a
    benchmark's parent may have just built the snapshot. `VmHWM` is this process's own.
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # no /proc: the best there is
