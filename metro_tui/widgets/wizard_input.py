"""A one-line wizard field whose editing keys act in the order they were typed.

Textual hands each key to the widget focused when the App reads it, and runs a key binding
only once the key has bubbled back up to the App, through one message queue per ancestor.
Printable keys are typed by the Input at once. So when keys arrive in one read (a terminal
multiplexer, a paste of keystrokes, a fast typist over SSH), every character of the burst is
typed before the first editing key acts: "ctrl+a ctrl+k 2027-12-30 tab" typed the date and
then moved to its start and cut it, leaving the field empty.

This Input runs its own bindings (ctrl+a, ctrl+k, backspace, the arrows …) when the key
reaches it, in turn with the characters. Keys it does not bind still go up to the screen and
the app as usual.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class FieldInput(Input):
    """A compact Input for one draft field, named by the field's path."""

    def __init__(
        self,
        value: str = "",
        *,
        name: str,
        placeholder: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            value, placeholder=placeholder, name=name, id=id, classes=classes, compact=True
        )

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return  # typed text: Input inserts it
        active = self.screen.active_bindings.get(event.key)
        if active is None or active.node is not self or not active.enabled:
            return  # not an editing key of this field: it goes up as usual
        # Handled here, so Input's own key handler and the bubbling up are skipped.
        event.prevent_default()
        event.stop()
        await self.run_action(active.binding.action)
