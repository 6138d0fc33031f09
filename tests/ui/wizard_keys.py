"""Driving the contract wizard as a user does: tab to a field, type, choose, press."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, RadioSet, Select, SelectionList

from tests.ui.keyboard import type_text


async def settle(pilot: Pilot[Any]) -> None:
    """Let messages, then every worker (catalogue, rates, create), finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# Keyboard helpers: each moves with tab and arrows and types; none sets a widget's value.


async def tab_to(pilot: Pilot[Any], key: str) -> None:
    """Press tab (or shift+tab, if that is shorter) until the control named `key` has focus.

    `key` may also be the control's id, for buttons.
    """
    chain = pilot.app.screen.focus_chain
    target = next((i for i, w in enumerate(chain) if key in (w.name, w.id)), None)
    assert target is not None, f"no control {key!r} can take focus"
    focused = pilot.app.focused
    current = chain.index(focused) if focused in chain else -1
    forward, backward = (target - current) % len(chain), (current - target) % len(chain)
    await pilot.press(*(["tab"] * forward if forward <= backward else ["shift+tab"] * backward))
    assert pilot.app.focused is chain[target]


async def fill(pilot: Pilot[Any], name: str, text: str) -> None:
    await tab_to(pilot, name)
    await type_text(pilot, text)


async def choose(pilot: Pilot[Any], name: str, label: str) -> None:
    """Open the Select named `name` and pick the option shown as `label`."""
    await tab_to(pilot, name)
    select = pilot.app.focused
    assert isinstance(select, Select)
    await pilot.press("enter")
    overlay = select.query_one("SelectOverlay", OptionList)
    for _ in range(20):
        highlighted = overlay.highlighted
        if (
            highlighted is not None
            and str(overlay.get_option_at_index(highlighted).prompt) == label
        ):
            await pilot.press("enter")
            await pilot.pause()
            return
        await pilot.press("down")
    raise AssertionError(f"{label!r} is not an option of {name}")


async def tick(pilot: Pilot[Any], name: str, *tags: str) -> None:
    """Tick `tags` in the SelectionList named `name`, in that order."""
    await tab_to(pilot, name)
    tag_list = pilot.app.focused
    assert isinstance(tag_list, SelectionList)
    for tag in tags:
        for _ in range(20):
            highlighted = tag_list.highlighted
            if highlighted is not None and tag_list.get_option_at_index(highlighted).value == tag:
                break
            await pilot.press("down")
        await pilot.press("space")


async def pick(pilot: Pilot[Any], name: str, value: str) -> None:
    """Move to the radio button named `value` in the RadioSet named `name` and press it."""
    await tab_to(pilot, name)
    radio_set = pilot.app.focused
    assert isinstance(radio_set, RadioSet)
    names = [button.name for button in radio_set.query("RadioButton")]
    current = radio_set.pressed_index
    await pilot.press(*["right"] * (names.index(value) - current), "enter")


async def press_button(pilot: Pilot[Any], key: str) -> None:
    await tab_to(pilot, key)
    await pilot.press("enter")
    await settle(pilot)


async def uncheck_product(pilot: Pilot[Any], product_name: str) -> None:
    await tab_to(pilot, "entitlements")
    table = pilot.app.focused
    assert isinstance(table, DataTable)
    for _ in range(table.row_count):
        if str(table.get_row_at(table.cursor_row)[1]) == product_name:
            await pilot.press("space")
            return
        await pilot.press("down")
    raise AssertionError(f"{product_name} is not on the price list")


async def next_step(pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+n")
    await settle(pilot)


async def fill_minimal(pilot: Pilot[Any], name: str) -> None:
    """The least a contract needs: a name and a rate card."""
    await fill(pilot, "name", name)
    await next_step(pilot)
    await choose(pilot, "rate_card_id", "Startup")
    await settle(pilot)
    await next_step(pilot)
    await next_step(pilot)
