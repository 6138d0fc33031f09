"""Fixtures for the API tests: the SDK client and the catalogue over an empty backend."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from metronome import AsyncMetronome

from metro_tui.local.server import RunningBackend
from tests.api.catalog import Catalog, store_catalog
from tests.conftest import TEST_TOKEN


@pytest.fixture
def catalog(empty_backend: RunningBackend) -> Catalog:
    return store_catalog(empty_backend)


@pytest.fixture
async def client(empty_backend: RunningBackend) -> AsyncIterator[AsyncMetronome]:
    """metronome-sdk in strict mode, without retries so error statuses surface at once."""
    async with AsyncMetronome(
        bearer_token=TEST_TOKEN,
        base_url=empty_backend.metronome_url,
        _strict_response_validation=True,
        max_retries=0,
    ) as sdk:
        yield sdk
