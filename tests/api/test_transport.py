"""The Metronome gateway's transport: one connection per request in flight, over real HTTP."""

from __future__ import annotations

from contextlib import AsyncExitStack

import httpcore
import httpx
import pytest

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.api.transport import ConnectionLanes, as_httpx_error, http_client
from metro_tui.errors import UnavailableError
from metro_tui.local.server import RunningBackend
from tests.conftest import TEST_TOKEN

AUTH = {"Authorization": f"Bearer {TEST_TOKEN}"}


def _local_port(response: httpx.Response) -> int:
    """The client side's port of the connection that carried `response`."""
    port: int = response.extensions["network_stream"].get_extra_info("client_addr")[1]
    return port


async def test_each_request_in_flight_has_a_connection_of_its_own_and_later_ones_reuse_them(
    empty_backend: RunningBackend,
) -> None:
    lanes = ConnectionLanes()
    url = f"{empty_backend.metronome_url}/v1/customers"
    async with http_client(30, transport=lanes) as client:
        async with AsyncExitStack() as open_bodies:
            # A streamed response holds its connection until its body is closed.
            held = [
                await open_bodies.enter_async_context(client.stream("GET", url, headers=AUTH))
                for _ in range(3)
            ]
            ports = [_local_port(response) for response in held]
            assert [response.status_code for response in held] == [200, 200, 200]
            assert (len(set(ports)), lanes.lanes) == (3, 3)
            for response in held:
                await response.aread()  # read to the end, the connection can be kept

        later = [await client.get(url, headers=AUTH) for _ in range(4)]

        assert [response.status_code for response in later] == [200, 200, 200, 200]
        assert lanes.lanes == 3
        # The lane given back last is lent first, its connection kept alive.
        assert {_local_port(response) for response in later} == {ports[-1]}


async def test_plain_http_loads_no_certificate_authorities(
    empty_backend: RunningBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading them takes about 50 ms of CPU, which a first load against the local backend
    would otherwise pay on the event loop; https is checked in `test_asyncio_network.py`."""
    loaded: list[object] = []
    monkeypatch.setattr(httpx, "create_ssl_context", lambda *args: loaded.append(args))
    async with http_client(30, transport=ConnectionLanes()) as client:
        response = await client.get(f"{empty_backend.metronome_url}/v1/customers", headers=AUTH)

    assert (response.status_code, loaded) == (200, [])


async def test_a_request_that_fails_gives_its_lane_back(closed_port: int) -> None:
    lanes = ConnectionLanes()
    async with http_client(30, transport=lanes) as client:
        for _ in range(2):
            with pytest.raises(httpx.ConnectError):
                await client.get(f"http://127.0.0.1:{closed_port}/v1/customers")

        assert lanes.lanes == 1


async def test_the_gateway_still_says_it_could_not_connect(closed_port: int) -> None:
    gateway = MetronomeGateway(TEST_TOKEN, f"http://127.0.0.1:{closed_port}", max_retries=0)

    with pytest.raises(UnavailableError) as raised:
        await gateway.products()

    assert raised.value.message == "could not connect to the server"
    await gateway.close()


async def test_the_gateway_still_gives_up_after_its_timeout(silent_server: str) -> None:
    gateway = MetronomeGateway(TEST_TOKEN, silent_server, max_retries=0, timeout=0.2)

    with pytest.raises(UnavailableError) as raised:
        await gateway.products()

    assert raised.value.message == "the request timed out"
    await gateway.close()


@pytest.mark.parametrize(
    ("httpcore_error", "httpx_error"),
    [
        (httpcore.ConnectTimeout, httpx.ConnectTimeout),
        (httpcore.ReadTimeout, httpx.ReadTimeout),
        (httpcore.ConnectError, httpx.ConnectError),
        (httpcore.ReadError, httpx.ReadError),
        (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    ],
)
def test_an_httpcore_error_becomes_the_most_specific_httpx_error(
    httpcore_error: type[Exception], httpx_error: type[Exception]
) -> None:
    turned = as_httpx_error(httpcore_error("what happened"))

    assert (type(turned), str(turned)) == (httpx_error, "what happened")


def test_an_error_not_httpcore_s_is_left_as_it_is() -> None:
    assert as_httpx_error(ValueError("not the network")) is None
