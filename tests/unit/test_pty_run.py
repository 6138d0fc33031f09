"""The pty harness of the benchmarks: what counts as text on the terminal, and a real run."""

from __future__ import annotations

import itertools
import sys

import pytest

from benchmarks.pty_run import OutputWatch, PtyRunError, run_in_pty, visible_text

# What Textual writes around a label: alternate screen, cursor moves, 24-bit colours, a title.
FRAME = (
    b"\x1b[?1049h\x1b[?25l\x1b]0;EmptyApp\x07\x1b[1;1H\x1b[38;2;224;224;224m"
    b"\x1b[48;2;18;18;18mEmpty app\x1b[0m\x1b[1m drawn\x1b[0m\x1b(B\x1b7 \xe2\x96\x8a\r\n"
)


def test_visible_text_drops_every_escape_sequence_and_keeps_the_words() -> None:
    assert visible_text(FRAME) == "Empty app drawn \u258a\n"


def test_visible_text_holds_back_a_sequence_cut_off_at_the_end() -> None:
    assert visible_text(b"ready\x1b[38;2;1") == "ready"
    assert visible_text(b"ready\x1b]0;Title") == "ready"
    assert visible_text(b"ready\x1b") == "ready"


def test_the_watch_sees_text_only_once_all_of_it_has_arrived() -> None:
    watch = OutputWatch("Empty app drawn")
    # Cut inside the title, inside a colour, inside the reset between the words, in a word.
    cuts = (0, 22, 38, 80, 88, len(FRAME))
    seen = [watch.feed(FRAME[start:end]) for start, end in itertools.pairwise(cuts)]

    assert seen == [False, False, False, False, True]
    assert bytes(watch.output) == FRAME


def test_a_watch_for_no_text_never_fires() -> None:
    watch = OutputWatch(None)

    assert watch.feed(FRAME) is False


def test_a_run_sees_the_text_on_a_terminal_of_the_given_size() -> None:
    program = "import os; s = os.get_terminal_size(); print(f'{s.columns}x{s.lines} on a tty')"
    run = run_in_pty([sys.executable, "-c", program], until="on a tty", columns=100, rows=30)

    assert "100x30 on a tty" in run.text
    assert run.exit_status is None  # stopped once the text appeared


def test_a_run_to_exit_keeps_the_output_and_the_exit_status() -> None:
    run = run_in_pty([sys.executable, "-c", "print('bye'); raise SystemExit(3)"], until=None)

    assert run.text.splitlines() == ["bye"]
    assert run.exit_status is not None and (run.exit_status >> 8) == 3


def test_a_command_that_exits_without_the_text_is_an_error() -> None:
    with pytest.raises(PtyRunError, match=r"before showing 'ready': not yet"):
        run_in_pty([sys.executable, "-c", "print('not yet')"], until="ready")
