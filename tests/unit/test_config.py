"""Where a setting comes from: flag > environment > stored credentials > config file > default."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from metro_tui.config import (
    DEFAULT_METRONOME_URL,
    SettingsError,
    credential_store,
    load_settings,
)
from metro_tui.session.credentials import CREDENTIALS_FILE, FileCredentialStore, StoredCredentials
from tests.conftest import settings_in

LEVELS = ("flag", "env", "stored", "file", "default")
URL_AT = {level: f"http://{level}.example" for level in LEVELS}
URL_AT["default"] = DEFAULT_METRONOME_URL


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private config folder and file (tests/conftest.py keeps the environment's settings out)."""
    return settings_in(tmp_path, monkeypatch)


def _store(token: str = "stored-token-5555", url: str = URL_AT["stored"]) -> None:
    credential_store().save(StoredCredentials(token, url, "rk_test_stored-7777", "http://s"))


def _set(level: str, monkeypatch: pytest.MonkeyPatch, config: Path) -> dict[str, str]:
    """Put this level's URL in place; returns the flags to pass for the flag level."""
    url = URL_AT[level]
    if level == "env":
        monkeypatch.setenv("METRONOME_BASE_URL", url)
    elif level == "stored":
        _store()
    elif level == "file":
        config.write_text(f'metronome_base_url = "{url}"\n')
    return {"metronome_base_url": url} if level == "flag" else {}


def test_the_store_is_the_file_in_the_config_dir(isolated: Path) -> None:
    store = credential_store()

    assert isinstance(store, FileCredentialStore)
    assert store.path == isolated / "xdg" / "metro-tui" / CREDENTIALS_FILE


@pytest.mark.parametrize(("higher", "lower"), list(itertools.combinations(LEVELS, 2)))
def test_each_level_beats_every_level_below_it(
    higher: str, lower: str, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flags = {
        **_set(lower, monkeypatch, isolated / "config.toml"),
        **_set(higher, monkeypatch, isolated / "config.toml"),
    }

    assert load_settings(**flags).metronome_base_url == URL_AT[higher]


def test_environment_token_beats_the_stored_one(monkeypatch: pytest.MonkeyPatch) -> None:
    _store(token="stored-token-5555")
    monkeypatch.setenv("METRONOME_BEARER_TOKEN", "env-token-6666")

    settings = load_settings()

    assert settings.metronome_bearer_token is not None
    assert settings.metronome_bearer_token.get_secret_value() == "env-token-6666"
    assert settings.stripe_api_key is not None
    assert settings.stripe_api_key.get_secret_value() == "rk_test_stored-7777"


def test_stored_credentials_connect_the_app_to_their_account() -> None:
    assert load_settings().uses_local_backend is True

    _store(token="stored-token-5555")
    settings = load_settings()

    assert settings.uses_local_backend is False
    assert settings.metronome_bearer_token is not None
    assert settings.metronome_bearer_token.get_secret_value() == "stored-token-5555"
    assert settings.metronome_base_url == URL_AT["stored"]
    assert settings.stripe_api_base == "http://s"


def test_a_flag_of_none_leaves_the_lower_level(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("METRONOME_BASE_URL", URL_AT["env"])

    assert load_settings(metronome_base_url=None).metronome_base_url == URL_AT["env"]


def test_the_keymap_table_takes_dotted_and_quoted_ids(isolated: Path) -> None:
    (isolated / "config.toml").write_text(
        '[keymap]\napp.refresh = "f5"\n"list.cursor_down" = "down,j,n"\n', encoding="utf-8"
    )

    assert load_settings().keymap == {"app.refresh": "f5", "list.cursor_down": "down,j,n"}


def test_a_keymap_variable_in_the_environment_is_not_the_keymap(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Some systems set KEYMAP to the console's keyboard layout.
    monkeypatch.setenv("KEYMAP", "us")
    (isolated / "config.toml").write_text('[keymap]\napp.quit = "x"\n', encoding="utf-8")

    assert load_settings().keymap == {"app.quit": "x"}


def test_a_keymap_entry_that_is_not_text_names_the_entry_and_the_file(isolated: Path) -> None:
    config = isolated / "config.toml"
    config.write_text("[keymap]\napp.quit = 5\n", encoding="utf-8")

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert raised.value.problems == [
        f"the key keymap.app.quit in {config} is 5: Input should be a valid string"
    ]


def test_the_store_is_not_opened_when_flags_and_environment_give_every_stored_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Probing the OS keyring is slow; with nothing for it to add, it is not asked."""
    opened: list[str] = []

    def counted_store() -> FileCredentialStore:
        opened.append("store")
        raise AssertionError("the credential store was opened")

    monkeypatch.setattr("metro_tui.settings_sources.credential_store", counted_store)
    monkeypatch.setenv("METRONOME_BEARER_TOKEN", "env-token-6666")
    monkeypatch.setenv("STRIPE_API_KEY", "rk_test_env-8888")
    monkeypatch.setenv("STRIPE_API_BASE", "http://stripe.example")

    settings = load_settings(metronome_base_url="http://flag.example")

    assert opened == []
    assert settings.metronome_base_url == "http://flag.example"
    assert settings.stripe_api_base == "http://stripe.example"


def test_the_stored_base_url_still_applies_when_only_the_tokens_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _store()
    monkeypatch.setenv("METRONOME_BEARER_TOKEN", "env-token-6666")
    monkeypatch.setenv("STRIPE_API_KEY", "rk_test_env-8888")

    settings = load_settings()

    assert settings.metronome_base_url == URL_AT["stored"]
    assert settings.stripe_api_base == "http://s"
    token = settings.metronome_bearer_token
    assert token is not None and token.get_secret_value() == "env-token-6666"
