"""Building the SDK gateways, on first use.

The Metronome and Stripe SDKs (with httpx, requests and their pydantic models) take about a
second to import: more than an empty Textual app takes to draw its first frame. Nothing that
draws imports them; the gateways are built when the first request is about to be sent, and
`load_sdks` imports them in a worker thread so the screen keeps drawing meanwhile. A start
with nothing cached has no figures to draw and the SDKs to import before its first request:
it calls `start_loading_sdks` at once, so the import runs while the first frame is drawn.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import threading
from concurrent.futures import Future
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
    "concurrent.futures.thread",
)
"""The gateways, and what their first requests would otherwise import on the event loop: the
Metronome SDK's resources (most of a second: every request and response model), which its
client imports when a request first reaches `v1` or `v2`, the network backend httpx opens its
first connection with, and the thread pool that resolves the backend's host name."""


_loading: Future[None] | None = None
"""The import started by `start_loading_sdks`, done or not."""


def _import_sdks() -> None:
    for module in GATEWAY_MODULES:
        importlib.import_module(module)


def _import_into(loading: Future[None]) -> None:
    try:
        _import_sdks()
    except BaseException as error:  # handed to whoever awaits the SDKs
        loading.set_exception(error)
    else:
        loading.set_result(None)


def start_loading_sdks() -> None:
    """Begin importing both gateways' SDKs in a thread of their own, unless begun already;
    returns at once."""
    global _loading
    if _loading is not None:
        return
    _loading = Future()
    threading.Thread(target=_import_into, args=(_loading,), name="sdk-import", daemon=True).start()


async def load_sdks() -> None:
    """Import both gateways' SDKs off the event loop (once; later calls return at once)."""
    if _loading is None and all(module in sys.modules for module in GATEWAY_MODULES):
        return
    start_loading_sdks()
    assert _loading is not None
    # Shielded: a load cancelled while it waits must not cancel the import the next one needs.
    await asyncio.shield(asyncio.wrap_future(_loading))


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
