"""Every choice in the wizard shows its state in its glyph, not only in its colour."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import RadioSet

from metro_tui.widgets.wizard_choice_button import ChoiceButton
from metro_tui.widgets.wizard_tag_list import TagList


class Choices(App[None]):
    def compose(self) -> ComposeResult:
        yield RadioSet(
            ChoiceButton("Monthly", True, name="MONTHLY"),
            ChoiceButton("Custom", name="CUSTOM"),
            name="schedule",
            compact=True,
        )
        yield TagList(["ai", "compute", "storage"], ["compute"], name="tags")


def radio_lines(app: Choices) -> list[str]:
    return [button.render().plain.rstrip() for button in app.query(ChoiceButton)]


def tag_lines(app: Choices) -> list[str]:
    tags = app.query_one(TagList)
    return [tags.render_line(y).text.rstrip() for y in range(tags.option_count)]


async def test_a_radio_button_is_filled_only_when_chosen() -> None:
    app = Choices()
    async with app.run_test() as pilot:
        assert radio_lines(app) == ["▐●▌ Monthly", "▐ ▌ Custom"]
        await pilot.press("right", "enter")  # the RadioSet has focus: choose Custom
        assert radio_lines(app) == ["▐ ▌ Monthly", "▐●▌ Custom"]


async def test_a_tag_is_crossed_only_when_ticked() -> None:
    app = Choices()
    async with app.run_test() as pilot:
        assert tag_lines(app) == ["▐ ▌ ai", "▐X▌ compute", "▐ ▌ storage"]
        await pilot.press("tab", "space", "down", "space")  # tick "ai", untick "compute"
        assert app.query_one(TagList).selected == ["ai"]
        assert tag_lines(app) == ["▐X▌ ai", "▐ ▌ compute", "▐ ▌ storage"]
