"""The usage chart's two series: their colours and the y axis's ticks, shared by the legend
drawn on the first frame and the plot mounted after it (which alone imports plotext)."""

from __future__ import annotations

import math

WEEK = 7
EDGE = 2
Y_INTERVALS = 4
"""Most intervals up the y axis: enough to read a value by."""
ROWS_PER_INTERVAL = 2
"""Fewest rows between two y ticks; closer, plotext's rounding to rows spaces them unevenly."""
FRAME_ROWS = 3
"""Rows of the plot that are not the data's: the frame's two edges and the date labels."""
SERIES_COLOURS = {"Total": "primary", "Duplicates": "warning"}
"""Each series' colour as a theme variable, so the plot and its legend follow the theme."""


def whole_number_ticks(peak: int, intervals: int = Y_INTERVALS) -> list[int]:
    """Y ticks from 0 past `peak` in a round step (1, 2 or 5 times a power of ten).

    Counts of events are whole numbers, so the step never drops below 1.
    """
    if peak <= 0:
        return [0, 1]
    rough = peak / intervals
    magnitude = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    return list(range(0, math.ceil(peak / step) * step + 1, step))
