"""Auth and fault injection of the local backend, seen through real HTTP and the official SDKs."""

from __future__ import annotations

import base64
import itertools
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import metronome
import pytest
import stripe

from metro_tui.local import middleware
from metro_tui.local.config import BackendConfig
from metro_tui.local.middleware import BackendMiddleware, TokenBucket, masked, stripe_key
from metro_tui.local.server import RunningBackend, start_in_thread
from tests.conftest import TEST_TODAY, TEST_TOKEN

StartBackend = Callable[..., RunningBackend]


@pytest.fixture
def start_backend(tmp_path: Path) -> Iterator[StartBackend]:
    """Start backends with the given faults over fresh data files; stops them afterwards."""
    started: list[RunningBackend] = []

    def start(**faults: Any) -> RunningBackend:
        config = BackendConfig(token=TEST_TOKEN, today=TEST_TODAY, **faults)
        started.append(start_in_thread(tmp_path / f"data{len(started)}.sqlite3", config))
        return started[-1]

    yield start
    for backend in started:
        backend.stop()


def stripe_client(backend: RunningBackend, retries: int = 0) -> stripe.StripeClient:
    return stripe.StripeClient(
        backend.stripe_key,
        base_addresses={"api": backend.stripe_url},
        http_client=stripe.HTTPXClient(),
        max_network_retries=retries,
    )


def metronome_client(
    backend: RunningBackend, token: str = TEST_TOKEN, retries: int = 0
) -> metronome.AsyncMetronome:
    return metronome.AsyncMetronome(
        bearer_token=token, base_url=backend.metronome_url, max_retries=retries
    )


def row_count(backend: RunningBackend, table: str) -> int:
    row = backend.db.query_one(f"SELECT count(*) AS n FROM {table}")
    assert row is not None
    return int(row["n"])


async def test_metronome_paths_refuse_a_wrong_or_missing_token(
    start_backend: StartBackend,
) -> None:
    backend = start_backend()

    with pytest.raises(metronome.AuthenticationError) as caught:
        await metronome_client(backend, token="not-the-token").v1.customers.list()
    missing = httpx.get(f"{backend.url}/v1/customers")
    stripe_key_as_token = httpx.get(
        f"{backend.url}/v1/customers", headers={"Authorization": f"Bearer {backend.stripe_key}"}
    )
    local_extension = httpx.get(f"{backend.url}/local/v1/usage-events/daily?days=30")

    assert caught.value.status_code == 401
    assert caught.value.body == {"message": "Unauthorized"}
    for response in (missing, stripe_key_as_token, local_extension):
        assert (response.status_code, response.json()) == (401, {"message": "Unauthorized"})


async def test_error_rate_one_fails_every_request_before_any_write(
    start_backend: StartBackend,
) -> None:
    backend = start_backend(error_rate=1.0)

    with pytest.raises(stripe.APIError) as stripe_failure:
        # The library retries 5xx; every attempt fails and none writes.
        await stripe_client(backend, retries=2).v1.customers.create_async(params={"name": "A"})
    with pytest.raises(metronome.InternalServerError) as metronome_failure:
        await metronome_client(backend).v1.customers.create(name="A")

    message = "Internal server error (injected by the local backend's --error-rate)."
    assert stripe_failure.value.http_status == 500
    assert stripe_failure.value.json_body == {"error": {"type": "api_error", "message": message}}
    assert metronome_failure.value.status_code == 500
    assert metronome_failure.value.body == {"message": message}
    assert row_count(backend, "stripe_customers") == 0
    assert row_count(backend, "customers") == 0


def test_error_rate_is_deterministic_from_the_fault_seed(start_backend: StartBackend) -> None:
    backend = start_backend(error_rate=0.5, fault_seed=11)
    draws = random.Random(11)
    expected = [500 if draws.random() < 0.5 else 200 for _ in range(20)]

    with httpx.Client(headers={"Authorization": f"Bearer {backend.stripe_key}"}) as http:
        statuses = [http.get(f"{backend.stripe_url}/v1/customers").status_code for _ in range(20)]

    assert statuses == expected
    assert 0 < statuses.count(500) < 20


def test_rate_limit_answers_429_with_retry_after_per_service(
    start_backend: StartBackend,
) -> None:
    backend = start_backend(rate_limit=2, clock=lambda: 0.0)  # no token comes back
    stripe_auth = {"Authorization": f"Bearer {backend.stripe_key}"}
    metronome_auth = {"Authorization": f"Bearer {TEST_TOKEN}"}

    with httpx.Client() as http:
        stripe_responses = [
            http.get(f"{backend.stripe_url}/v1/customers", headers=stripe_auth) for _ in range(3)
        ]
        metronome_responses = [
            http.get(f"{backend.url}/v1/customers", headers=metronome_auth) for _ in range(3)
        ]

    assert [r.status_code for r in stripe_responses[:2]] == [200, 200]
    limited = stripe_responses[2]
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "1"
    assert limited.json() == {
        "error": {
            "type": "invalid_request_error",
            "message": "Too many requests: the local backend allows 2 requests per second "
            "(--rate-limit).",
            "code": "rate_limit",
        }
    }
    # Metronome has its own bucket: Stripe's burst did not use it up.
    assert [r.status_code == 429 for r in metronome_responses] == [False, False, True]
    assert metronome_responses[2].headers["retry-after"] == "1"
    assert metronome_responses[2].json() == {
        "message": "Too many requests: the local backend allows 2 requests per second "
        "(--rate-limit)."
    }


async def test_rate_limited_clients_succeed_by_honouring_retry_after(
    start_backend: StartBackend,
) -> None:
    # Each look at the clock moves it 0.6 s on: the second request in a row finds 0.6 of a
    # token and is refused with Retry-After: 1; the retry finds a whole one.
    ticks = itertools.count(step=0.6)
    backend = start_backend(rate_limit=1, clock=lambda: next(ticks))
    client = metronome_client(backend, retries=2)

    started = time.monotonic()
    pages = [await client.v1.customers.list() for _ in range(2)]
    elapsed = time.monotonic() - started
    with pytest.raises(stripe.RateLimitError):
        for _ in range(2):
            await stripe_client(backend).v1.customers.list_async()

    assert [page.data for page in pages] == [[], []]
    # The second call was answered 429 with Retry-After: 1, and the SDK waited that long.
    assert elapsed >= 1.0


def test_latency_delays_every_response(start_backend: StartBackend) -> None:
    backend = start_backend(latency_ms=150)

    started = time.monotonic()
    unauthorised = httpx.get(f"{backend.url}/v1/customers")
    middle = time.monotonic()
    listed = httpx.get(
        f"{backend.stripe_url}/v1/customers",
        headers={"Authorization": f"Bearer {backend.stripe_key}"},
    )
    finished = time.monotonic()

    assert (unauthorised.status_code, listed.status_code) == (401, 200)
    assert middle - started >= 0.15
    assert finished - middle >= 0.15


async def test_the_latency_is_the_response_time_with_the_routes_own_work_inside_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A distant server answers `latency` after the request, whatever its own work took:
    the route's time is taken off the wait, not added to it."""
    now = [100.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(middleware, "asyncio", SimpleNamespace(sleep=sleep))
    route_takes = [0.03, 0.25]

    async def route(scope: Any, receive: Any, send: Any) -> None:
        now[0] += route_takes.pop(0)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    backend = BackendMiddleware(
        route, BackendConfig(token=TEST_TOKEN, latency_ms=200, clock=lambda: now[0])
    )
    sent: list[tuple[str, float]] = []

    async def send(message: Any) -> None:
        sent.append((message["type"], round(now[0], 6)))

    async def receive() -> Any:
        return {"type": "http.request", "body": b""}

    def request(token: str) -> dict[str, Any]:
        headers = [(b"authorization", f"Bearer {token}".encode())]
        return {"type": "http", "method": "GET", "path": "/v1/customers", "headers": headers}

    await backend(request(TEST_TOKEN), receive, send)  # the route takes 30 ms
    await backend(request(TEST_TOKEN), receive, send)  # 250 ms, more than the latency
    await backend(request("wrong-token"), receive, send)  # refused at once

    assert [round(seconds, 6) for seconds in slept] == [0.17, 0.2]
    assert sent[:4] == [
        ("http.response.start", 100.2),
        ("http.response.body", 100.2),
        ("http.response.start", 100.45),
        ("http.response.body", 100.45),
    ]
    assert [message for message, _at in sent[4:]] == ["http.response.start", "http.response.body"]
    assert sent[4][1] == 100.65  # the refusal too, a full latency after its request


def test_token_bucket_allows_bursts_then_refills_at_the_rate() -> None:
    now = [100.0]
    bucket = TokenBucket(4, now=lambda: now[0])

    burst = [bucket.take() for _ in range(5)]
    now[0] += 0.125  # half a token back
    half = bucket.take()
    now[0] += 0.125
    refilled = bucket.take()

    assert burst == [0.0, 0.0, 0.0, 0.0, 0.25]
    assert half == 0.125
    assert refilled == 0.0


def test_slow_rate_bucket_holds_one_request() -> None:
    now = [0.0]
    bucket = TokenBucket(0.5, now=lambda: now[0])

    assert [bucket.take(), bucket.take()] == [0.0, 2.0]
    now[0] += 1.5
    assert bucket.take() == 0.5


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("sk_test_0123456789abcdef", "sk_test_****cdef"),
        ("rk_live_0123456789abcdef", "rk_live_****cdef"),
        ("sk_test_abcdefgh", "sk_test_****"),
        ("pk_test_0123456789abcdef", "****cdef"),
        ("abcd", "****"),
    ],
)
def test_masked_key_never_shows_more_than_the_last_four(key: str, shown: str) -> None:
    assert masked(key) == shown


def test_stripe_key_from_bearer_or_basic_auth() -> None:
    basic = base64.b64encode(b"sk_test_abc:").decode()

    assert stripe_key("Bearer sk_test_abc") == "sk_test_abc"
    assert stripe_key(f"Basic {basic}") == "sk_test_abc"
    assert stripe_key("Basic !!notbase64") is None
    assert stripe_key("Bearer ") is None
    assert stripe_key("Token sk_test_abc") is None
    assert stripe_key("") is None


def test_drop_after_commit_stores_the_contract_then_drops_the_response(
    start_backend: StartBackend,
) -> None:
    backend = start_backend(drop_after_commit=1)
    auth = {"Authorization": f"Bearer {TEST_TOKEN}"}

    with httpx.Client(base_url=backend.url, headers=auth) as http:
        created = http.post("/v1/customers", json={"name": "Dropped Co"})
        customer_id = created.json()["data"]["id"]
        body = {
            "customer_id": customer_id,
            "starting_at": "2026-12-01T00:00:00Z",
            "uniqueness_key": "draft-1",
        }
        unknown = http.post(
            "/v1/contracts/create",
            json={**body, "customer_id": "00000000-0000-4000-8000-000000000000"},
        )
        with pytest.raises(httpx.RemoteProtocolError):
            http.post("/v1/contracts/create", json=body)
        stored_after_drop = row_count(backend, "contracts")
        repeated = http.post("/v1/contracts/create", json=body)
        another = http.post("/v1/contracts/create", json={**body, "uniqueness_key": "draft-2"})

    # A refused create is answered as usual and does not use up the fault.
    assert unknown.status_code == 404
    assert stored_after_drop == 1
    assert repeated.status_code == 409
    assert repeated.json() == {
        "message": "a contract with uniqueness_key 'draft-1' already exists for this customer"
    }
    # Only the first successful create is dropped.
    assert another.status_code == 200
    assert row_count(backend, "contracts") == 2
