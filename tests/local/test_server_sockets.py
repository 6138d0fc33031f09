"""The local backend's listening socket, as uvicorn serves it (`loop.create_server(sock=...)`).

uvicorn writes a response's head and its body apart; with Nagle's algorithm on, the body waits
for the client's delayed acknowledgement of the head (about 40 ms on Linux), so every request
on a kept-alive connection would take that much longer than the latency the backend injects.
"""

from __future__ import annotations

import asyncio
import socket

from metro_tui.local.server import bind, listen


async def test_each_connection_the_backend_accepts_sends_its_writes_at_once() -> None:
    loop = asyncio.get_running_loop()
    accepted: asyncio.Future[int] = loop.create_future()

    class Accepted(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            connection: socket.socket = transport.get_extra_info("socket")
            accepted.set_result(connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    server = await loop.create_server(Accepted, sock=listen(bind("127.0.0.1", 0)))
    async with server:
        host, port = server.sockets[0].getsockname()
        _reader, writer = await asyncio.open_connection(host, port)
        try:
            assert await accepted != 0  # TCP_NODELAY: Nagle's algorithm off
        finally:
            writer.close()
            await writer.wait_closed()
