"""The HTTP transport the Metronome gateway sends through: one connection per request in flight.

A first load sends thousands of small requests, 16 at a time, and the client's own CPU, not
the network, bounds how fast it goes. httpx's connection pool, each time a request starts
and each time a response is closed, asks every connection it holds whether it has expired:
with 16 connections that is 32 questions per request, measured at about a sixth of the
client's time in a first load. Here each request in flight borrows a lane, which holds one
httpcore connection, and gives it back when its response is closed: a lane asks its own
connection only, and nothing is pooled, so none of a pool's locks and events are paid per
request. The connections are opened on asyncio's own transports (`asyncio_network`), not
anyio's, which takes a cancel scope off every read and write and a system call off every
expiry check. Keep-alive, timeouts and TLS are httpcore's own; httpcore's errors become
httpx's, as httpx's own transport turns them, so the SDK retries and reports them as before.
Like any transport handed to httpx, it uses no proxy from the environment.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterable, AsyncIterator, Callable

import httpcore
import httpx

from metro_tui.api.asyncio_network import AsyncioBackend

# httpx's own default for how long an idle connection is kept.
KEEPALIVE_EXPIRY = 5.0

# httpcore's errors and the httpx error each becomes (the same pairs as httpx's own transport).
_HTTPX_ERRORS: dict[type[Exception], type[httpx.TransportError]] = {
    httpcore.ConnectTimeout: httpx.ConnectTimeout,
    httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.WriteTimeout: httpx.WriteTimeout,
    httpcore.PoolTimeout: httpx.PoolTimeout,
    httpcore.TimeoutException: httpx.TimeoutException,
    httpcore.ConnectError: httpx.ConnectError,
    httpcore.ReadError: httpx.ReadError,
    httpcore.WriteError: httpx.WriteError,
    httpcore.NetworkError: httpx.NetworkError,
    httpcore.ProxyError: httpx.ProxyError,
    httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
    httpcore.LocalProtocolError: httpx.LocalProtocolError,
    httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
    httpcore.ProtocolError: httpx.ProtocolError,
}


def as_httpx_error(error: BaseException) -> httpx.TransportError | None:
    """The httpx error an httpcore error stands for (the most specific one); None for any
    other error."""
    for kind in type(error).__mro__:
        httpx_error = _HTTPX_ERRORS.get(kind)
        if httpx_error is not None:
            return httpx_error(str(error))
    return None


class ConnectionLanes(httpx.AsyncBaseTransport):
    """Sends each request on an idle lane, opening a new one when every lane is busy.

    There are never more lanes than requests that were in flight at once, and the lane used
    most recently is reused first, so its connection is the one most likely still open.
    """

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        """`ssl_context` checks https servers' certificates; by default httpx's own, made
        when the first https request is sent."""
        self._network = AsyncioBackend()
        self._ssl_context = ssl_context
        self._lanes: list[_Lane] = []
        self._idle: list[_Lane] = []

    @property
    def lanes(self) -> int:
        """How many lanes have been opened."""
        return len(self._lanes)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        url = request.url
        sent = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,  # the timeouts: connect, read, write and pool
        )
        lane = self._idle.pop() if self._idle else self._open_lane()
        try:
            answer = await lane.send(sent)
        except BaseException as error:
            self._idle.append(lane)
            httpx_error = as_httpx_error(error)
            if httpx_error is None:
                raise
            raise httpx_error from error
        assert isinstance(answer.stream, AsyncIterable)
        return httpx.Response(
            status_code=answer.status,
            headers=answer.headers,
            stream=_LaneBody(answer.stream, lambda: self._idle.append(lane)),
            extensions=answer.extensions,
        )

    async def aclose(self) -> None:
        lanes, self._lanes, self._idle = self._lanes, [], []
        for lane in lanes:
            await lane.aclose()

    def _open_lane(self) -> _Lane:
        lane = _Lane(self._ssl_context_for, self._network)
        self._lanes.append(lane)
        return lane

    def _ssl_context_for(self, origin: httpcore.Origin) -> ssl.SSLContext | None:
        """The certificate check of an https server; a plain http one (the local backend)
        needs none, and loading the certificate authorities takes about 50 ms of CPU."""
        if origin.scheme != b"https":
            return None
        if self._ssl_context is None:
            self._ssl_context = httpx.create_ssl_context()  # once, for every lane
        return self._ssl_context


class _Lane:
    """One connection at a time: kept while it can carry the next request, else replaced."""

    def __init__(
        self,
        ssl_context_for: Callable[[httpcore.Origin], ssl.SSLContext | None],
        network: AsyncioBackend,
    ) -> None:
        self._ssl_context_for = ssl_context_for
        self._network = network
        self._connection: httpcore.AsyncHTTPConnection | None = None

    async def send(self, request: httpcore.Request) -> httpcore.Response:
        origin = request.url.origin
        kept = self._connection
        if kept is not None:
            # Idle (its last response read to the end), not expired nor closed by the
            # server, and to the same server: as httpcore's own pool decides.
            if kept.can_handle_request(origin) and kept.is_available() and not kept.has_expired():
                return await kept.handle_async_request(request)
            await kept.aclose()
        self._connection = httpcore.AsyncHTTPConnection(
            origin,
            ssl_context=self._ssl_context_for(origin),
            keepalive_expiry=KEEPALIVE_EXPIRY,
            network_backend=self._network,
        )
        return await self._connection.handle_async_request(request)

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.aclose()


class _LaneBody(httpx.AsyncByteStream):
    """A response body that gives its lane back once it is closed (once, however often), its
    read errors httpx's."""

    def __init__(self, body: AsyncIterable[bytes], give_back: Callable[[], None]) -> None:
        self._body = body
        self._give_back: Callable[[], None] | None = give_back

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._body:
                yield chunk
        except Exception as error:
            httpx_error = as_httpx_error(error)
            if httpx_error is None:
                raise
            raise httpx_error from error

    async def aclose(self) -> None:
        try:
            aclose = getattr(self._body, "aclose", None)
            if aclose is not None:
                await aclose()
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
