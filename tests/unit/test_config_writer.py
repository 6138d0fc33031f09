"""Saving one setting to config.toml: the rest of the file as the user wrote it, in one rename."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from metro_tui.config_writer import ConfigWriteError, LatestSettingWrites, save_setting


def test_a_new_file_holds_only_the_setting(tmp_path: Path) -> None:
    config = tmp_path / "metro-tui" / "config.toml"

    assert save_setting("theme", "nord", config) == config

    assert config.read_text() == 'theme = "nord"\n'
    assert stat.S_IMODE(config.stat().st_mode) == 0o644
    assert [path.name for path in config.parent.iterdir()] == ["config.toml"]


def test_other_keys_comments_and_the_file_mode_are_kept(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('# mine\nconcurrency = 4   # slow link\n\n[keymap]\n"app.quit" = "x"\n')
    config.chmod(0o600)

    save_setting("theme", "gruvbox", config)

    assert config.read_text() == (
        '# mine\nconcurrency = 4   # slow link\ntheme = "gruvbox"\n\n[keymap]\n"app.quit" = "x"\n'
    )
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_a_file_that_does_not_parse_is_left_alone(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("theme = \n")

    with pytest.raises(ConfigWriteError, match=rf"^{config} could not be read: "):
        save_setting("theme", "nord", config)

    assert config.read_text() == "theme = \n"


def test_only_the_latest_choice_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("METRO_TUI_CONFIG", str(config))
    writes = LatestSettingWrites("theme")
    nord, gruvbox = writes.choose(), writes.choose()

    assert writes.save(gruvbox, "gruvbox") == config
    # Its turn came after a newer choice: writing it would undo that choice.
    assert writes.save(nord, "nord") is None

    assert config.read_text() == 'theme = "gruvbox"\n'
