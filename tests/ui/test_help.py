"""`?`: every key in force, each description wrapped in its own column, and a list that says it
scrolls and answers the list keys."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widgets import Label, Static, TabbedContent

from metro_tui.app import MetroApp
from metro_tui.config import Settings, config_file, load_settings
from metro_tui.screens.help import HelpScreen, KeyList, key_sections, scroll_hint
from metro_tui.widgets.customer_table import CustomerTable
from tests.ui.conftest import make_app

Row = tuple[str, str]


def _section_lines(section: Static) -> list[str]:
    width, height = section.size
    return [strip.text.rstrip() for strip in section.render_lines(Region(0, 0, width, height))]


def _rows(lines: list[str], description_at: int) -> list[Row]:
    """(keys, description) per key, a wrapped description joined back into one."""
    rows: list[Row] = []
    for line in lines:
        keys, description = line[:description_at].strip(), line[description_at:]
        if keys:
            rows.append((keys, description))
        else:
            assert rows, f"a description line before any key: {line!r}"
            rows[-1] = (rows[-1][0], f"{rows[-1][1]} {description}")
    return rows


async def _open_help(app: MetroApp, pilot: object) -> HelpScreen:
    await app.workers.wait_for_complete()
    await pilot.press("question_mark")  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    return screen


async def test_help_lists_every_key_where_it_works(settings: Settings, data_file: Path) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_help(app, pilot)
        headings = [str(label.render()) for label in screen.query(".help-heading").results(Label)]
        sections = list(screen.query(".help-section").results(Static))
        expected = key_sections(app.BINDINGS, app.keymap)
        assert headings == [heading for heading, _ in expected]
        assert headings == [
            "Everywhere",
            "Lists and pages (Customers, a customer, Why missing?, this help)",
            "Customers",
            "Customer detail",
            "Invoice",
            "Why is a customer missing?",
            "Contract wizard",
            "Command palette (typing searches)",
        ]
        key_width = len("^home / shift+home")
        for section, (_, bindings) in zip(sections, expected, strict=True):
            assert _rows(_section_lines(section), key_width + 2) == [
                (screen.keys_text(binding), binding.tooltip or binding.description)
                for binding in bindings
            ]
        assert "copied to the clipboard" in str(screen.query_one("#links-note", Static).render())


async def test_a_wrapped_description_stays_in_its_column(
    settings: Settings, data_file: Path
) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_help(app, pilot)
        customers = list(screen.query(".help-section").results(Static))[2]
        lines = _section_lines(customers)
        indent = " " * (len("^home / shift+home") + 2)
        assert lines[3:7] == [
            "a" + indent[1:] + "Show every Stripe customer, or only the",
            indent + "linked ones",
            "w" + indent[1:] + "Why is a customer missing? Broken links",
            indent + "between Stripe and Metronome",
        ]


async def test_the_frame_says_the_list_scrolls_and_list_keys_scroll_it(
    settings: Settings, data_file: Path
) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_help(app, pilot)
        box = screen.query_one(KeyList)
        assert app.focused is box
        hints = [box.border_subtitle]
        for key in ("G", "k", "g", "j", "end", "home"):
            await pilot.press(key)
            await pilot.wait_for_scheduled_animations()
            hints.append(box.border_subtitle)
        below, above, both = "▼ more below", "▲ more above", "▲▼ more above and below"
        assert hints == [
            f"{below}  ·  Esc to close",
            f"{above}  ·  Esc to close",
            f"{both}  ·  Esc to close",
            f"{below}  ·  Esc to close",
            f"{both}  ·  Esc to close",
            f"{above}  ·  Esc to close",
            f"{below}  ·  Esc to close",
        ]
        assert box.scroll_y == 0


def test_a_list_that_fits_only_says_how_to_close() -> None:
    assert scroll_hint(0, 0) == "Esc to close"


KEYMAP = '[keymap]\napp.customers = "f2"\nlist.cursor_down = "down,e"\n'


async def test_keys_remapped_in_config_toml_work_and_the_help_shows_them(
    settings: Settings, data_file: Path
) -> None:
    config_file().write_text(KEYMAP, encoding="utf-8")
    keyed = settings.model_copy(update={"keymap": load_settings().keymap})
    app = make_app(keyed, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        tabs = app.query_one(TabbedContent)
        await pilot.press("2")
        assert tabs.active == "overview"
        await pilot.press("f2")
        assert tabs.active == "customers"
        table = app.query_one(CustomerTable)
        await pilot.press("j", "e", "e", "down")
        assert table.cursor_index == 3

        screen = await _open_help(app, pilot)
        everywhere, lists = list(screen.query(".help-section").results(Static))[:2]
        key_width = len("^home / shift+home")
        assert ("f2", "Customers") in _rows(_section_lines(everywhere), key_width + 2)
        assert _rows(_section_lines(lists), key_width + 2)[:2] == [
            ("↑ / k", "Up"),
            ("↓ / e", "Down"),
        ]
