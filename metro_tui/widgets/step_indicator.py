"""A one-line trail of numbered steps, "1 Invoicing › 2 Pricing › …", the current one lit."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label


class StepIndicator(Horizontal):
    """Shows where a multi-step form is: steps before `current` are done, `current` is lit."""

    DEFAULT_CSS = """
    StepIndicator { height: 1; width: 1fr; }
    StepIndicator .step { color: $text-muted; }
    StepIndicator .step.-done { color: $text-success; }
    StepIndicator .step.-current { color: $text; background: $accent 40%; text-style: bold; }
    StepIndicator .step-separator { color: $text-muted; padding: 0 1; }
    """

    current: reactive[int] = reactive(1, init=False)
    """The current step, counted from 1."""

    def __init__(self, titles: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._titles = tuple(titles)

    def compose(self) -> ComposeResult:
        for number, title in enumerate(self._titles, start=1):
            if number > 1:
                yield Label("›", classes="step-separator")
            yield Label(f" {number} {title} ", classes="step", id=f"step-{number}")

    def on_mount(self) -> None:
        self._light(self.current)

    def watch_current(self, current: int) -> None:
        self._light(current)

    def _light(self, current: int) -> None:
        for number in range(1, len(self._titles) + 1):
            label = self.query_one(f"#step-{number}", Label)
            label.set_class(number < current, "-done")
            label.set_class(number == current, "-current")
