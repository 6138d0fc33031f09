"""The start's settings: plainly valid values are taken without pydantic, to the same settings
pydantic makes of them; anything else is pydantic's to decide, with pydantic's own messages."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from metro_tui.config import Settings, SettingsError, load_settings
from metro_tui.start_settings import AppSettings, StartSettings, load_start_settings
from tests.conftest import settings_in

FIELDS = tuple(Settings.model_fields)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private config folder and file (tests/conftest.py keeps the environment's settings out)."""
    return settings_in(tmp_path, monkeypatch)


Case = tuple[Any, ...]
"""(environment variables, config file text) and, for some tables, the flags given."""


@pytest.fixture
def given(request: pytest.FixtureRequest, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The case's environment variables set and its config file written; its flags."""
    environment, config, *flags = request.param
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    (isolated / "config.toml").write_text(config, encoding="utf-8")
    return flags[0] if flags else {}


def each(cases: dict[str, Case]) -> pytest.MarkDecorator:
    """A test run once per case of `cases`, named by its key, with the case `given`."""
    return pytest.mark.parametrize("given", list(cases.values()), ids=list(cases), indirect=True)


def _values(settings: AppSettings) -> dict[str, Any]:
    """Every setting, secrets in the clear, and what the app derives from them."""
    values = {name: getattr(settings, name) for name in FIELDS}
    for name in ("metronome_bearer_token", "stripe_api_key"):
        secret = values[name]
        values[name] = None if secret is None else secret.get_secret_value()
    values["keymap"] = dict(values["keymap"])
    values["uses_local_backend"] = settings.uses_local_backend
    values["data_file"] = settings.data_file
    values["cache_root"] = settings.cache_root
    return values


PLAIN_CASES: dict[str, Case] = {
    "nothing set": ({}, "", {}),
    "tokens and URLs from the environment": (
        {
            "METRONOME_BEARER_TOKEN": "tok-1234",
            "METRONOME_BASE_URL": "http://127.0.0.1:8080/",
            "STRIPE_API_KEY": "rk_test_5678",
            "stripe_api_base": "http://127.0.0.1:8080/stripe",
        },
        "",
        {},
    ),
    "every kind from the environment": (
        {
            "METRO_TUI_TODAY": "2026-11-24",
            "METRO_TUI_CONCURRENCY": "64",
            "METRO_TUI_LOCAL": "TRUE",
            "METRO_TUI_DATA": "demo/local.sqlite3",
            "METRO_TUI_CACHE_DIR": "/tmp/metro-cache/",
        },
        "",
        {},
    ),
    "a yes or no as 0": ({"METRO_TUI_LOCAL": "0", "METRO_TUI_CONCURRENCY": "1"}, "", {}),
    "every kind from the config file": (
        {},
        'today = 2026-02-28\nconcurrency = 3\nlocal = false\ntheme = "nord"\n'
        'data = "d.sqlite3"\ncache = "c"\nmetronome_base_url = "https://m.example//"\n'
        '[keymap]\napp.refresh = "f5"\n"list.cursor_down" = "down,j"\n',
        {},
    ),
    "flags over the rest": (
        {"METRO_TUI_TODAY": "2026-11-24"},
        "concurrency = 3\n",
        {
            "today": date(2025, 1, 31),
            "concurrency": 12,
            "local": True,
            "data": Path("flag.sqlite3"),
            "metronome_base_url": "http://flag.example/",
        },
    ),
}


@each(PLAIN_CASES)
def test_plainly_valid_settings_are_the_same_without_pydantic(given: dict[str, Any]) -> None:
    started = load_start_settings(**given)

    assert type(started) is StartSettings
    assert _values(started) == _values(load_settings(**given))


DOUBTFUL_CASES: dict[str, Case] = {
    "a number with a sign": ({"METRO_TUI_CONCURRENCY": "+16"}, ""),
    "a number with spaces": ({"METRO_TUI_CONCURRENCY": " 8 "}, ""),
    "yes": ({"METRO_TUI_LOCAL": "yes"}, ""),
    "a day at midnight": ({}, "today = 2026-11-24T00:00:00\n"),
    "an empty path": ({"METRO_TUI_DATA": ""}, ""),
    "a whole number as a float": ({}, "concurrency = 4.0\n"),
}


@each(DOUBTFUL_CASES)
def test_values_pydantic_may_take_are_left_to_pydantic(given: dict[str, Any]) -> None:
    started = load_start_settings()

    assert type(started) is Settings
    assert _values(started) == _values(load_settings())


INVALID_CASES: dict[str, Case] = {
    "a day that is not one": ({"METRO_TUI_TODAY": "2026-02-30"}, "", {}),
    "not a day": ({"METRO_TUI_TODAY": "tomorrow"}, "", {}),
    "too many at once": ({}, "", {"concurrency": 100}),
    "none at once, from the file": ({}, "concurrency = 0\n", {}),
    "many": ({"METRO_TUI_CONCURRENCY": "many"}, "concurrency = 3\n", {}),
    "a keymap entry that is not text": ({}, "[keymap]\napp.quit = 5\n", {}),
    "a yes or no that is neither": ({"METRO_TUI_LOCAL": "maybe"}, "", {}),
    "not TOML": ({}, "today = \n", {}),
    "a theme that is not text": ({}, "theme = 3\n", {}),
    "a number for a day": ({}, "today = 20000\n", {}),
}


@each(INVALID_CASES)
def test_invalid_settings_give_pydantic_s_messages(given: dict[str, Any]) -> None:
    names = {"concurrency": "--concurrency"}
    with pytest.raises(SettingsError) as expected:
        load_settings(flag_names=names, **given)

    with pytest.raises(SettingsError) as raised:
        load_start_settings(flag_names=names, **given)

    assert raised.value.problems == expected.value.problems


def test_the_local_backend_s_credentials_replace_the_configured_ones() -> None:
    started = load_start_settings(today=date(2026, 11, 24))

    local = started.on_local_backend(
        "local-token-9876", "http://127.0.0.1:1", "sk_test_1", "http://s"
    )

    assert type(local) is StartSettings
    assert local.uses_local_backend is False
    assert local.metronome_bearer_token is not None
    assert local.metronome_bearer_token.get_secret_value() == "local-token-9876"
    assert local.stripe_api_key is not None
    assert local.stripe_api_key.get_secret_value() == "sk_test_1"
    assert (local.metronome_base_url, local.stripe_api_base) == ("http://127.0.0.1:1", "http://s")
    assert local.today == date(2026, 11, 24)
    assert "local-token-9876" not in repr(local)
    assert "sk_test_1" not in repr(local)
