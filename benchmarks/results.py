"""One row of the `make bench` table, and the table itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HEADERS = ("figure", "measured", "ideal / reference", "target", "result")


@dataclass(frozen=True)
class Figure:
    """A measured figure next to what it is judged against; `passed` None when not measured,
    or when it is a floor that other figures are judged against."""

    name: str
    measured: str
    reference: str
    target: str
    passed: bool | None
    floor: bool = False

    @property
    def verdict(self) -> str:
        if self.floor:
            return "floor"
        return {True: "pass", False: "FAIL", None: "pending"}[self.passed]


def render(figures: Sequence[Figure]) -> str:
    """A plain-text table, also valid Markdown, so it can be pasted into PERFORMANCE.md."""
    rows = [HEADERS, *((f.name, f.measured, f.reference, f.target, f.verdict) for f in figures)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADERS))]

    def line(cells: Sequence[str]) -> str:
        padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])
