"""Building the SDK gateways, on first use.

The Metronome and Stripe SDKs (with httpx, requests and their pydantic models) take about a
second to import: more than an empty Textual app takes to draw its first frame. Nothing that
draws imports them; the gateways are built when the first request is about to be sent, and
`load_sdks` imports them in a worker thread so the screen keeps drawing meanwhile.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from metro_tui.api.metronome import MetronomeGateway
    from metro_tui.api.stripe import StripeGateway

GATEWAY_MODULES = (
    "metro_tui.api.metronome",
    "metro_tui.api.stripe",
    "metronome.resources",
    "httpcore._backends.anyio",
    "anyio._backends._asyncio",
)
"""The gateways, and what their first requests would otherwise import on the event loop: the
Metronome SDK's resources (most of a second: every request and response model), which its
client imports when a request first reaches `v1` or `v2`, and the network backend httpx
opens its first connection with."""


def _import_sdks() -> None:
    for module in GATEWAY_MODULES:
        importlib.import_module(module)


async def load_sdks() -> None:
    """Import both gateways' SDKs off the event loop (once; later calls return at once)."""
    if all(module in sys.modules for module in GATEWAY_MODULES):
        return
    await asyncio.to_thread(_import_sdks)


def metronome_gateway(
    bearer_token: str, base_url: str, *, max_retries: int = 4, timeout: float = 30.0
) -> MetronomeGateway:
    from metro_tui.api.metronome import MetronomeGateway

    return MetronomeGateway(bearer_token, base_url, max_retries=max_retries, timeout=timeout)


def stripe_gateway(
    api_key: str, base_url: str, *, max_retries: int = 4, timeout: float = 30.0
) -> StripeGateway:
    from metro_tui.api.stripe import StripeGateway

    return StripeGateway(api_key, base_url, max_retries=max_retries, timeout=timeout)
