"""How the local backend behaves: its token, its clock and the faults it injects."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class BackendConfig:
    """How the server behaves: its token, its clock and the faults it injects."""

    token: str
    today: str | None = None  # YYYY-MM-DD; "now" is noon UTC of that day when given
    latency_ms: int = 0
    error_rate: float = 0.0
    rate_limit: float = 0.0  # requests per second; 0 = unlimited
    fault_seed: int = 0
    # The first N contract creates are committed, then their connection is dropped before the
    # response body: the client cannot tell whether the contract exists (--drop-after-commit).
    drop_after_commit: int = 0
    # Seconds, for the rate limit and the latency; tests pass a clock they move themselves.
    clock: Callable[[], float] = time.monotonic

    def stripe_keys(self) -> frozenset[str]:
        """The Stripe keys the server accepts: secret or restricted, test or live mode."""
        return frozenset(
            f"{kind}_{mode}_{self.token}" for kind in ("sk", "rk") for mode in ("test", "live")
        )
