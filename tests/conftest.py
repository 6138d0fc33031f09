"""Shared fixtures: a seeded local backend on 127.0.0.1 over a temp SQLite file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pydantic import SecretStr

from metro_tui.config import Settings
from metro_tui.local.config import BackendConfig
from metro_tui.local.server import RunningBackend, start_in_thread
from metro_tui.settings_sources import SETTING_ALIASES

if TYPE_CHECKING:
    from metro_tui.local.seed.dataset import SeedSummary

TEST_TODAY = "2026-11-24"
TEST_SEED = 7
TEST_CUSTOMERS = 40
TEST_TOKEN = "test-token-0123456789"
# Every environment variable a setting is read from: none of the developer's reaches a test.
SETTING_VARIABLES = tuple(
    name for names in SETTING_ALIASES.values() for name in names if name.isupper()
)


@pytest.fixture(autouse=True)
def _private_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the developer's own config, credentials, keyring and drafts out of every test."""
    home = tmp_path_factory.mktemp("user")
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    monkeypatch.setenv("METRO_TUI_KEYRING", "0")
    monkeypatch.setenv("METRO_TUI_CONFIG", str(home / "config.toml"))
    for variable in SETTING_VARIABLES:
        monkeypatch.delenv(variable, raising=False)


def settings_in(folder: Path, monkeypatch: pytest.MonkeyPatch, config: str = "config.toml") -> Path:
    """This test's own config file and config folder (credentials) in `folder`."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / "xdg"))
    monkeypatch.setenv("METRO_TUI_CONFIG", str(folder / config))
    return folder


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SeedSummary]:
    """One seeded data file per test session, and what the seed reported writing; tests copy
    the file (or open it read-only) so each starts from the seed."""
    from metro_tui.local.seed.dataset import SeedOptions, seed_database

    path = tmp_path_factory.mktemp("seed") / "seed.sqlite3"
    options = SeedOptions(seed=TEST_SEED, customers=TEST_CUSTOMERS, today=TEST_TODAY)
    return path, seed_database(path, options)


@pytest.fixture(scope="session")
def seeded_data_file(seeded: tuple[Path, SeedSummary]) -> Path:
    return seeded[0]


@pytest.fixture
def data_file(seeded_data_file: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded data file."""
    copy = tmp_path / "data.sqlite3"
    shutil.copyfile(seeded_data_file, copy)
    return copy


@pytest.fixture
def backend(data_file: Path) -> Iterator[RunningBackend]:
    """The local backend serving a private copy of the seed."""
    running = start_in_thread(data_file, BackendConfig(token=TEST_TOKEN, today=TEST_TODAY))
    yield running
    running.stop()


@pytest.fixture
def empty_backend(tmp_path: Path) -> Iterator[RunningBackend]:
    """The local backend over an empty data file, for tests that build their own records."""
    running = start_in_thread(
        tmp_path / "empty.sqlite3", BackendConfig(token=TEST_TOKEN, today=TEST_TODAY)
    )
    yield running
    running.stop()


@pytest.fixture
def settings(backend: RunningBackend, tmp_path: Path) -> Settings:
    """Settings for the seeded backend, with a private cache."""
    return Settings(
        METRONOME_BEARER_TOKEN=SecretStr(TEST_TOKEN),
        metronome_base_url=backend.metronome_url,
        STRIPE_API_KEY=SecretStr(backend.stripe_key),
        stripe_api_base=backend.stripe_url,
        today=TEST_TODAY,
        cache=tmp_path / "cache",
    )
