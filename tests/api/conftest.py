"""Fixtures for the API tests: the SDK client and the catalogue over an empty backend."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator

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


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback address that accepts connections and never answers."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(8)
        yield f"http://127.0.0.1:{listening.getsockname()[1]}"
