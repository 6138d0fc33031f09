"""A customer's monthly billings: the amounts that matter in words, then one bar per month.

Textual's Sparkline scales min..max, so a month of $0.00 and a month of a few cents drew the
same empty bar. Here a bar's height is its share of the highest month, a month with any
billings gets at least the lowest block, and a month with none shows a dotted baseline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from metro_tui.services.dates import month_abbreviation
from metro_tui.services.money import format_cents
from metro_tui.services.revenue import MonthRevenue

BAR_ROWS = 2
EIGHTHS = " ▁▂▃▄▅▆▇█"
"""Partial blocks by eighths of a row: index 0 is nothing, 8 a full block."""
NO_BILLINGS_MARK = "·"
MIN_SLOT = len("Nov ")
"""A month's bar and its label need this much width: three letters and a gap."""


def short_month(month: str) -> str:
    """ "2026-10" as "Oct"."""
    return month_abbreviation(int(month.split("-")[1]))


def month_label(month: str) -> str:
    """ "2026-10" as "Oct 2026"."""
    return f"{short_month(month)} {month.split('-')[0]}"


def summary_text(months: Sequence[MonthRevenue]) -> str:
    """Last month's amount and the highest month's, each with its month."""
    if not months:  # nothing shown yet
        return ""
    if not any(month.amount_cents for month in months):
        # The months named, not "the last 12": a customer billed only this month has billings.
        return f"No billings from {month_label(months[0].month)} to {month_label(months[-1].month)}"
    last = months[-1]
    highest = max(reversed(months), key=lambda month: month.amount_cents)
    last_text = f"Last month ({month_label(last.month)}) {format_cents(last.amount_cents)}"
    if highest is last:
        return f"{last_text}, the highest"
    return (
        f"{last_text}  ·  Highest ({month_label(highest.month)}) "
        f"{format_cents(highest.amount_cents)}"
    )


def bar_eighths(amount_cents: int, peak_cents: int, rows: int = BAR_ROWS) -> int:
    """A bar's height in eighths of a row: any billings at all show at least one eighth."""
    if amount_cents <= 0 or peak_cents <= 0:
        return 0
    return max(1, math.floor(amount_cents * rows * 8 / peak_cents + 0.5))


class MonthlyBillings(Widget):
    """The summary line, `BAR_ROWS` rows of bars, and the months' names under them."""

    DEFAULT_CSS = """
    MonthlyBillings { height: auto; text-wrap: nowrap; }
    """

    months: Sequence[MonthRevenue] = ()
    """What the widget last drew, oldest month first."""

    def show(self, months: Sequence[MonthRevenue]) -> None:
        self.months = months
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._summary_lines(width)) + BAR_ROWS + 1

    def _summary_lines(self, width: int) -> list[Content]:
        """The summary wrapped here, at words, since the bars below must not wrap."""
        return Content(summary_text(self.months)).wrap(max(1, width))

    def render(self) -> Content:
        months = self.months
        width = self.content_size.width
        slot = max(MIN_SLOT, width // max(1, len(months)))
        bar_width = slot - 1
        peak = max((month.amount_cents for month in months), default=0)
        heights = [bar_eighths(month.amount_cents, peak) for month in months]
        lines = self._summary_lines(width)
        for row in range(BAR_ROWS - 1, -1, -1):
            lines.append(Content.assemble(*(self._bar(h, row, bar_width) for h in heights)))
        names = "".join(f"{short_month(month.month):<{slot}}" for month in months)
        lines.append(Content.styled(names, "$text-muted"))
        return Content("\n").join(lines)

    @staticmethod
    def _bar(eighths: int, row: int, width: int) -> tuple[str, str] | str:
        """One month's cells on one row (`row` 0 is the bottom), with the gap after it."""
        if eighths == 0:
            mark = NO_BILLINGS_MARK * width if row == 0 else " " * width
            return (mark + " ", "$text-muted")
        filled = min(8, max(0, eighths - row * 8))
        return (EIGHTHS[filled] * width + " ", "$primary")
