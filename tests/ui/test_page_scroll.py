"""A scrolling page moves once for every key, even when keys arrive together (a held key, a
paste, a fast typist), as a terminal often delivers them in one read."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Label

from metro_tui.widgets.page_scroll import PageScroll

HEIGHT = 10


class LongPage(App[None]):
    def compose(self) -> ComposeResult:
        with PageScroll():
            for line in range(100):
                yield Label(f"line {line}")

    def on_mount(self) -> None:
        self.query_one(PageScroll).focus()


async def _after_keys_together(*keys: str) -> float:
    """Where the page ends up when `keys` reach the app in one go."""
    app = LongPage()
    async with app.run_test(size=(40, HEIGHT)) as pilot:
        for key in keys:  # posted before any is handled, as one read of the terminal is
            app.simulate_key(key)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        return app.query_one(PageScroll).scroll_y


async def test_five_js_together_move_the_page_five_lines() -> None:
    assert await _after_keys_together(*"jjjjj") == 5


async def test_two_page_downs_together_move_it_two_pages_and_a_k_back_one_line() -> None:
    assert await _after_keys_together("pagedown", "pagedown", "k") == 2 * HEIGHT - 1


async def test_keys_together_stop_at_the_end_of_the_page() -> None:
    assert await _after_keys_together(*["pagedown"] * 20) == 100 - HEIGHT
