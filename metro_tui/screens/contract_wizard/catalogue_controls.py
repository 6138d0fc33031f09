"""Showing a new catalogue (rate cards, products, a rate card's rates) in a step on screen.

The catalogue and the rates arrive while the user may be typing in the same step. Rebuilding
the step then would drop keys already on their way to the old fields, and focusing a rebuilt
field selects its text, so the next key would replace it. So choice lists are updated in
place, and only the parts of a step that hold no text field the user may be in are rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Select


class StepSection(Vertical):
    """A part of a step built by `build`, rebuilt alone when what it lists changes."""

    DEFAULT_CSS = """
    StepSection { height: auto; }
    """

    def __init__(self, build: Callable[[], ComposeResult], *, id: str) -> None:
        super().__init__(id=id)
        self._build = build

    def compose(self) -> ComposeResult:
        yield from self._build()


def offer_options(
    select: Select[str], options: Sequence[tuple[str, str]], chosen: str | None, *, prompt: str
) -> None:
    """Give `select` these options, keeping `chosen` if offered, without a Changed message.

    A Select forgets its value when its options are replaced; that is not the user's doing,
    so it must not reach the draft.
    """
    with select.prevent(Select.Changed):
        select.set_options(options)
        select.prompt = prompt
        if chosen in {value for _, value in options}:
            select.value = chosen
