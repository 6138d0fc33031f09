"""The look every centred dialog shares: a framed, scrolling box in the middle of the screen."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class DialogScreen(ModalScreen[ResultType]):
    """A modal whose top `VerticalScroll` is the dialog box; subclasses set only its width."""

    DEFAULT_CSS = """
    DialogScreen { align: center middle; }
    DialogScreen > VerticalScroll {
        width: 96;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-color: $text;
        background: $surface;
        padding: 0 2;
    }
    """
