"""The HTTP transport the Metronome gateway sends through: one connection per request in flight.

A first load sends thousands of small requests, 16 at a time, and the client's own CPU, not
the network, bounds how fast it goes. httpx's connection pool, each time a request starts
and each time a response is closed, asks every connection it holds whether it has expired,
and each asks its socket (a system call, and anyio building a table of the socket's
attributes): with 16 connections that is 32 questions per request, measured at about a sixth
of the client's time in a first load. Here each request in flight borrows a lane, an httpx
pool of its own that holds one connection, and gives it back when its response is closed, so
each pool asks one socket. Everything else (keep-alive, reconnecting, timeouts, proxies and
TLS) is httpx's own.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Callable

import httpx

ONE_CONNECTION = httpx.Limits(max_connections=1, max_keepalive_connections=1)

MakeLane = Callable[[ssl.SSLContext], httpx.AsyncBaseTransport]


def _one_connection(ssl_context: ssl.SSLContext) -> httpx.AsyncBaseTransport:
    return httpx.AsyncHTTPTransport(verify=ssl_context, limits=ONE_CONNECTION)


class ConnectionLanes(httpx.AsyncBaseTransport):
    """Sends each request on an idle lane, opening a new one when every lane is busy.

    There are never more lanes than requests that were in flight at once, and the lane used
    most recently is reused first, so its connection is the one most likely still open.
    """

    def __init__(self, make_lane: MakeLane = _one_connection) -> None:
        self._make_lane = make_lane
        self._ssl_context: ssl.SSLContext | None = None
        self._lanes: list[httpx.AsyncBaseTransport] = []
        self._idle: list[httpx.AsyncBaseTransport] = []

    @property
    def lanes(self) -> int:
        """How many lanes have been opened."""
        return len(self._lanes)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        lane = self._idle.pop() if self._idle else self._open_lane()
        try:
            response = await lane.handle_async_request(request)
        except BaseException:
            self._idle.append(lane)
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _LaneBody(response.stream, lambda: self._idle.append(lane))
        return response

    async def aclose(self) -> None:
        lanes, self._lanes, self._idle = self._lanes, [], []
        for lane in lanes:
            await lane.aclose()

    def _open_lane(self) -> httpx.AsyncBaseTransport:
        if self._ssl_context is None:
            # Loading the certificate authorities takes milliseconds: once, for every lane.
            self._ssl_context = httpx.create_ssl_context()
        lane = self._make_lane(self._ssl_context)
        self._lanes.append(lane)
        return lane


class _LaneBody(httpx.AsyncByteStream):
    """A response body that gives its lane back once it is closed (once, however often)."""

    def __init__(self, body: httpx.AsyncByteStream, give_back: Callable[[], None]) -> None:
        self._body = body
        self._give_back: Callable[[], None] | None = give_back

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._body:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._body.aclose()
        finally:
            give_back, self._give_back = self._give_back, None
            if give_back is not None:
                give_back()


def http_client(
    timeout: float, *, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The HTTP client a gateway's SDK sends through (the SDK's own settings, other than the
    transport: redirects followed, and the gateway's timeout)."""
    return httpx.AsyncClient(
        transport=transport or ConnectionLanes(), timeout=timeout, follow_redirects=True
    )
