"""An httpcore network backend on asyncio's own transports, for the Metronome gateway's lanes.

httpx opens its connections through anyio: every read and write runs inside a cancel scope,
and each check of whether an idle connection has expired builds a table of the socket's
attributes and polls the socket (a `getpeername` and a `select`). A first load sends thousands
of requests, bound by the client's CPU, and that bookkeeping was about a tenth of it. Here a
connection is an `asyncio.Protocol` that keeps what arrives in a buffer: a read takes what is
buffered without waiting, a wait is one future with one timer, and "is it readable?" is
answered from the protocol's own state, with no system call.

The errors are httpcore's, as its own backends raise them, so httpx and the SDK report a
refused connection, a timeout or a dropped connection exactly as before.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections import deque
from collections.abc import Iterable
from typing import Any

import httpcore

SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)

# Past this many bytes buffered and unread, the socket is not read until they are taken.
_READ_AHEAD_LIMIT = 1 << 20


class ConnectionProtocol(asyncio.Protocol):
    """One socket's state: the bytes received and not yet read, and whether it has ended."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.transport: asyncio.Transport | None = None
        self.received: deque[bytes] = deque()
        self.buffered = 0
        self.ended = False  # the peer sent its end, or the connection is lost
        self.lost: Exception | None = None  # why the connection was lost, if not cleanly
        self.is_lost = False
        self._reading_paused = False
        self._writing_paused = False
        self._waiter: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.received.append(data)
        self.buffered += len(data)
        if self.buffered > _READ_AHEAD_LIMIT and self.transport is not None:
            self.transport.pause_reading()
            self._reading_paused = True
        self._wake()

    def eof_received(self) -> None:
        # Returning None lets the transport close itself: a response never outlives its body.
        self.ended = True
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        self.ended = True
        self.is_lost = True
        self.lost = exc
        self._wake()

    def pause_writing(self) -> None:
        self._writing_paused = True

    def resume_writing(self) -> None:
        self._writing_paused = False
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def wait(self, timeout: float | None, timed_out: type[Exception]) -> None:
        """Wait for the next thing to happen on the socket, or raise `timed_out` after
        `timeout` seconds."""
        waiter = self._loop.create_future()
        self._waiter = waiter
        timer = None
        if timeout is not None:
            timer = self._loop.call_later(timeout, _expire, waiter, timed_out)
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()

    @property
    def writing_paused(self) -> bool:
        return self._writing_paused and not self.is_lost

    def take(self, max_bytes: int) -> bytes:
        """Up to `max_bytes` of what has been received, at once."""
        received = self.received
        if len(received) == 1 and len(received[0]) <= max_bytes:
            taken = received.popleft()  # the usual case: one arrival, taken without a copy
        else:
            parts: list[bytes] = []
            room = max_bytes
            while received and room > 0:
                chunk = received.popleft()
                if len(chunk) > room:
                    received.appendleft(chunk[room:])
                    chunk = chunk[:room]
                parts.append(chunk)
                room -= len(chunk)
            taken = b"".join(parts)
        self.buffered -= len(taken)
        if self._reading_paused and self.buffered <= _READ_AHEAD_LIMIT // 2:
            self._reading_paused = False
            if self.transport is not None:
                self.transport.resume_reading()
        return taken


def _expire(waiter: asyncio.Future[None], timed_out: type[Exception]) -> None:
    if not waiter.done():
        waiter.set_exception(timed_out())


class AsyncioStream(httpcore.AsyncNetworkStream):
    """A connection as httpcore reads and writes it."""

    def __init__(self, transport: asyncio.Transport, connection: ConnectionProtocol) -> None:
        self._transport = transport
        self._connection = connection

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        connection = self._connection
        while not connection.buffered:
            if connection.ended:
                if connection.lost is not None:
                    raise httpcore.ReadError(str(connection.lost))
                return b""
            await connection.wait(timeout, httpcore.ReadTimeout)
        return connection.take(max_bytes)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        connection = self._connection
        if connection.is_lost or self._transport.is_closing():
            raise httpcore.WriteError(str(connection.lost or "the connection is closed"))
        self._transport.write(buffer)
        # The transport takes everything at once; only a full socket buffer makes us wait.
        while connection.writing_paused:
            await connection.wait(timeout, httpcore.WriteTimeout)
        if connection.lost is not None:
            raise httpcore.WriteError(str(connection.lost))

    async def aclose(self) -> None:
        self._transport.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                tls = await loop.start_tls(
                    self._transport,
                    self._connection,
                    ssl_context,
                    server_hostname=server_hostname,
                )
        except TimeoutError as error:
            self._transport.close()
            raise httpcore.ConnectTimeout(str(error)) from error
        except (OSError, ssl.SSLError) as error:
            self._transport.close()
            raise httpcore.ConnectError(str(error)) from error
        assert isinstance(tls, asyncio.Transport)
        self._connection.transport = tls
        return AsyncioStream(tls, self._connection)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            # An idle connection that became readable has been closed by the server.
            return self._connection.ended or self._connection.buffered > 0
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        if info == "socket":
            return self._transport.get_extra_info("socket")
        return None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Opens httpcore's connections with asyncio's own `create_connection`."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        connection = ConnectionProtocol(loop)
        local = (local_address, 0) if local_address else None
        try:
            async with asyncio.timeout(timeout):
                transport, _ = await loop.create_connection(
                    lambda: connection, host, port, local_addr=local
                )
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(str(error)) from error
        except OSError as error:
            raise httpcore.ConnectError(str(error)) from error
        return _opened(transport, connection, socket_options)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        connection = ConnectionProtocol(loop)
        try:
            async with asyncio.timeout(timeout):
                transport, _ = await loop.create_unix_connection(lambda: connection, path)
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(str(error)) from error
        except OSError as error:
            raise httpcore.ConnectError(str(error)) from error
        return _opened(transport, connection, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def _opened(
    transport: asyncio.BaseTransport,
    connection: ConnectionProtocol,
    socket_options: Iterable[SocketOption] | None,
) -> AsyncioStream:
    assert isinstance(transport, asyncio.Transport)
    raw: socket.socket | None = transport.get_extra_info("socket")
    for option in socket_options or ():
        if raw is not None:
            raw.setsockopt(*option)
    return AsyncioStream(transport, connection)
