"""Typing into the app as a fast typist does: every key of a text in one burst.

Pilot.press waits for the app to go idle after every key, about 0.1 s a key while a filter
recounts; a Stripe id typed that way costs a test two seconds of waiting. The same Key events
sent back to back arrive in the order typed, ahead of any key pressed after them, so what the
app ends with is what slower typing gives; tests of what each keystroke does press the keys.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from textual import events
from textual.pilot import Pilot


def key_for(character: str) -> str:
    """Textual's key name for a typed character ("-" is "hyphen_minus")."""
    if character.isalnum():
        return character
    return unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")


async def type_burst(pilot: Pilot[Any], text: str) -> None:
    """Type `text` into whatever has focus, as back-to-back key events, then let them land."""
    for character in text:
        pilot.app.post_message(events.Key(key_for(character), character))
    await pilot.pause()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Clear the focused input, then type `text` in one burst."""
    if getattr(pilot.app.focused, "value", ""):
        await pilot.press("end", "ctrl+u")  # bound actions; they must finish before the burst
    await type_burst(pilot, text)


async def filter_customers(pilot: Pilot[Any], text: str) -> None:
    """Press / and type `text` into the Customers filter, which / has given focus to."""
    await pilot.press("slash")
    focused = pilot.app.focused
    assert focused is not None and focused.id == "customer-filter", focused
    await type_burst(pilot, text)
