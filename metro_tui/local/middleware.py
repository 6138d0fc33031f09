"""Auth and fault injection for the local backend, as one plain ASGI middleware.

Every request is checked in this order: the credentials (Metronome's bearer token, or a Stripe
key under /stripe), the rate limit, the injected error rate. A refused request never reaches a
route, so an injected 500 never leaves a write half done. With every fault off, a request
costs one header comparison.

The injected latency is the time a response takes, as a distant server's would: each response
starts no sooner than `latency_ms` after its request arrived, the route's own work included.
The route's time is not added on top, so `requests x latency / concurrency` is what a client
that costs nothing would take, whatever this server's own speed on the client's machine.

One fault acts after the route instead: `drop_after_commit` lets a contract create commit,
then closes the connection after the response headers, as a network failure would, so the
client must find out by retrying whether its contract was made.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import math
import random
import secrets
import time
from collections.abc import Callable

from fastapi import FastAPI, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from metro_tui.local.config import BackendConfig
from metro_tui.local.errors import error_response, is_stripe_path

STRIPE_KEY_PREFIXES = ("sk_test_", "sk_live_", "rk_test_", "rk_live_")
CONTRACT_CREATE_PATH = "/v1/contracts/create"
_READ_METHODS = frozenset({"GET", "HEAD"})
_NO_STRIPE_KEY = (
    "You did not provide an API key. You need to provide your API key in the Authorization "
    "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
)


def install(app: FastAPI, config: BackendConfig) -> None:
    """Wrap the app in its middleware."""
    app.add_middleware(BackendMiddleware, config=config)


class TokenBucket:
    """`rate` requests per second on average, with bursts of up to one second's worth."""

    def __init__(self, rate: float, now: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate)
        self.tokens = self.capacity
        self._now = now
        self._stamp = now()

    def take(self) -> float:
        """Take a token: 0.0 when one was available, else the seconds until one will be."""
        moment = self._now()
        self.tokens = min(self.capacity, self.tokens + (moment - self._stamp) * self.rate)
        self._stamp = moment
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


class BackendMiddleware:
    def __init__(self, app: ASGIApp, config: BackendConfig) -> None:
        self.app = app
        self.config = config
        self.stripe_keys = config.stripe_keys()
        self.bearer = f"Bearer {config.token}"
        self.delay = config.latency_ms / 1000
        self.faults = random.Random(config.fault_seed) if config.error_rate > 0 else None
        # Metronome and Stripe are separate services, each with its own limit.
        self.buckets = (
            {
                "stripe": TokenBucket(config.rate_limit, config.clock),
                "metronome": TokenBucket(config.rate_limit, config.clock),
            }
            if config.rate_limit > 0
            else None
        )
        self.drops_left = config.drop_after_commit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.delay:
            send = self._held_until(self.config.clock() + self.delay, send)
        request = Request(scope)
        stripe = is_stripe_path(scope["path"])
        refusal = (
            (self._check_stripe_key(request) if stripe else self._check_token(request))
            or self._check_rate(request, stripe)
            or self._inject_error(request)
        )
        if refusal is not None:
            await refusal(scope, receive, send)
        elif self.drops_left and scope["path"] == CONTRACT_CREATE_PATH:
            await self._commit_then_drop(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def _held_until(self, deadline: float, send: Send) -> Send:
        """`send`, with the response's start held until `deadline` (the config's clock)."""

        async def held(message: Message) -> None:
            if message["type"] == "http.response.start":
                wait = deadline - self.config.clock()
                if wait > 0:
                    await asyncio.sleep(wait)
            await send(message)

        return held

    async def _commit_then_drop(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the create; if it succeeded, send only the headers and end without the body,
        which makes the server close the connection mid-response."""
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        await self.app(scope, receive, hold)
        start = held[0] if held else None
        # Checked again after the route: concurrent creates may have used the drops up.
        if start is None or not 200 <= start["status"] < 300 or self.drops_left <= 0:
            for message in held:
                await send(message)
            return
        self.drops_left -= 1
        await send(start)

    def _check_token(self, request: Request) -> Response | None:
        given = request.headers.get("authorization", "")
        if secrets.compare_digest(given.encode(), self.bearer.encode()):
            return None
        return error_response(request, 401, "Unauthorized")

    def _check_stripe_key(self, request: Request) -> Response | None:
        key = stripe_key(request.headers.get("authorization", ""))
        if not key:
            return error_response(request, 401, _NO_STRIPE_KEY)
        if key not in self.stripe_keys:
            return error_response(request, 401, f"Invalid API Key provided: {masked(key)}")
        if key.startswith("rk_") and request.method not in _READ_METHODS:
            return error_response(
                request,
                403,
                f"The provided key '{masked(key)}' does not have the required permissions for "
                "this endpoint: the local backend's restricted keys (rk_) are read-only; use "
                "the secret key (sk_) to write.",
            )
        # The routes serve only the data of the key's mode, as Stripe keeps modes apart.
        request.scope.setdefault("state", {})["stripe_livemode"] = "_live_" in key[:8]
        return None

    def _check_rate(self, request: Request, stripe: bool) -> Response | None:
        if self.buckets is None:
            return None
        wait = self.buckets["stripe" if stripe else "metronome"].take()
        if wait == 0.0:
            return None
        message = (
            f"Too many requests: the local backend allows {self.config.rate_limit:g} "
            "requests per second (--rate-limit)."
        )
        response = error_response(request, 429, message, code="rate_limit" if stripe else None)
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return response

    def _inject_error(self, request: Request) -> Response | None:
        if self.faults is None or self.faults.random() >= self.config.error_rate:
            return None
        return error_response(
            request, 500, "Internal server error (injected by the local backend's --error-rate)."
        )


def stripe_key(authorization: str) -> str | None:
    """The key from `Bearer <key>`, or from HTTP basic auth with the key as the username."""
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip() or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[0] or None
    return None


def masked(key: str) -> str:
    """`sk_test_****abcd`: the kind of key and its last 4 characters, and only when the rest
    is long enough that 4 characters give nothing away."""
    prefix = next((p for p in STRIPE_KEY_PREFIXES if key.startswith(p)), "")
    rest = key[len(prefix) :]
    return f"{prefix}****{rest[-4:] if len(rest) >= 12 else ''}"
