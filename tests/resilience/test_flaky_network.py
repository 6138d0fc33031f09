"""A flaky, rate-limited backend costs time, never correctness."""

from __future__ import annotations

from pathlib import Path

from metro_tui.local.config import BackendConfig
from metro_tui.local.server import RunningBackend, start_in_thread
from tests.conftest import TEST_TODAY, TEST_TOKEN
from tests.resilience.accounts import shown, sync


async def test_errors_and_a_rate_limit_change_nothing_shown(
    backend: RunningBackend, data_file: Path
) -> None:
    clean = await sync(backend)
    flaky_backend = start_in_thread(
        data_file,
        BackendConfig(
            token=TEST_TOKEN, today=TEST_TODAY, error_rate=0.2, rate_limit=30, fault_seed=5
        ),
    )
    try:
        flaky = await sync(flaky_backend)
    finally:
        flaky_backend.stop()

    assert flaky.failures == []
    overview, rows = shown(flaky)
    assert (overview, rows) == shown(clean)
    # The comparison is not vacuous: the seed has revenue and linked customers.
    assert overview.total_revenue_cents > 0
    assert sum(row.linked for row in rows) > 20
