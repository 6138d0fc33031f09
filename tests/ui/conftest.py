"""Fixtures for UI tests: settings that point the app at the seeded local backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.connection import open_connection
from metro_tui.local.server import RunningBackend
from tests.conftest import TEST_TODAY, TEST_TOKEN


@pytest.fixture
def settings(backend: RunningBackend, tmp_path: Path) -> Settings:
    """Settings for the seeded backend, with a private cache and drafts folder."""
    return Settings(
        METRONOME_BEARER_TOKEN=SecretStr(TEST_TOKEN),
        metronome_base_url=backend.metronome_url,
        STRIPE_API_KEY=SecretStr(backend.stripe_key),
        stripe_api_base=backend.stripe_url,
        today=TEST_TODAY,
        cache=tmp_path / "cache",
    )


def make_app(settings: Settings, data_file: Path) -> MetroApp:
    """The app as `metro-tui` builds it, connected to the local backend over `data_file`."""
    return MetroApp(settings, open_connection(settings, local_data=data_file))
