"""Lines kept between frames: by what they show and how, for one look, a bounded number."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip

from metro_tui.widgets.drawn_lines import DrawnLines


class Shown:
    """Something a line shows, compared by identity as a table's row is."""


def drawing(text: str, drawn: list[str]) -> Strip:
    drawn.append(text)
    return Strip([Segment(text)])


def test_a_line_shown_again_alike_in_the_same_look_is_the_one_drawn() -> None:
    lines, drawn = DrawnLines(keep=8), []
    shown = Shown()
    lines.use_look("look")
    first = lines.line(shown, "plain", lambda: drawing("a", drawn))
    assert lines.line(shown, "plain", lambda: drawing("b", drawn)) is first
    assert drawn == ["a"]
    assert lines.line(shown, "striped", lambda: drawing("c", drawn)).text == "c"
    assert lines.line(Shown(), "plain", lambda: drawing("d", drawn)).text == "d"
    assert drawn == ["a", "c", "d"]


def test_another_look_drops_every_line() -> None:
    lines, drawn = DrawnLines(keep=8), []
    shown = Shown()
    lines.use_look(("width", 80))
    lines.line(shown, "plain", lambda: drawing("a", drawn))
    lines.use_look(("width", 80))  # the same look, as an equal value
    lines.line(shown, "plain", lambda: drawing("b", drawn))
    lines.use_look(("width", 60))
    assert len(lines) == 0
    assert lines.line(shown, "plain", lambda: drawing("c", drawn)).text == "c"
    assert drawn == ["a", "c"]


def test_lines_not_drawn_lately_are_let_go() -> None:
    lines, drawn = DrawnLines(keep=2), []
    shown = [Shown() for _ in range(6)]
    lines.use_look("look")
    for number, item in enumerate(shown):
        lines.line(item, "plain", lambda number=number: drawing(str(number), drawn))
    assert len(lines) <= 2 * 2
    lines.line(shown[5], "plain", lambda: drawing("again", drawn))  # drawn lately: kept
    lines.line(shown[0], "plain", lambda: drawing("again", drawn))  # drawn first: let go
    assert drawn[6:] == ["again"]
