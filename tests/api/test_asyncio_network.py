"""The lanes' network backend on asyncio's own transports, against real sockets on 127.0.0.1:
its failures are httpcore's (and so httpx's and the SDK's) as with httpx's own backend."""

from __future__ import annotations

import asyncio
import socket
import ssl
import struct
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpcore
import httpx
import pytest

from metro_tui.api.asyncio_network import AsyncioBackend
from metro_tui.api.transport import ConnectionLanes, http_client

Answer = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def serving(answer: Answer, tls: ssl.SSLContext | None = None) -> AsyncIterator[int]:
    """A server on a loopback port that answers each connection with `answer`."""
    server = await asyncio.start_server(answer, "127.0.0.1", 0, ssl=tls)
    async with server:
        yield server.sockets[0].getsockname()[1]


def answering(*steps: bytes | asyncio.Event, close: bool = False) -> Answer:
    """A server's answer to one request: once its head has arrived, each piece of bytes
    written in turn, waiting for each event in between; then the connection closed if
    `close`."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        for step in steps:
            if isinstance(step, asyncio.Event):
                await step.wait()
            else:
                writer.write(step)
                await writer.drain()
        if close:
            writer.close()

    return answer


def _port(address: str) -> int:
    port = urlsplit(address).port
    assert port is not None
    return port


async def test_a_refused_connection_is_a_connect_error(closed_port: int) -> None:
    with pytest.raises(httpcore.ConnectError):
        await AsyncioBackend().connect_tcp("127.0.0.1", closed_port, timeout=5)


async def test_a_read_past_its_timeout_is_a_read_timeout(silent_server: str) -> None:
    stream = await AsyncioBackend().connect_tcp("127.0.0.1", _port(silent_server), timeout=5)

    with pytest.raises(httpcore.ReadTimeout):
        await stream.read(1024, timeout=0.05)
    await stream.aclose()


async def test_a_tls_handshake_past_its_timeout_is_a_connect_timeout(silent_server: str) -> None:
    stream = await AsyncioBackend().connect_tcp("127.0.0.1", _port(silent_server), timeout=5)

    with pytest.raises(httpcore.ConnectTimeout):
        await stream.start_tls(ssl.create_default_context(), "localhost", timeout=0.05)


async def test_a_read_past_its_timeout_through_the_lanes_is_httpx_read_timeout(
    silent_server: str,
) -> None:
    async with http_client(0.05) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(silent_server)


async def test_what_arrived_is_read_at_most_max_bytes_at_a_time_then_the_end() -> None:
    async def send_and_close(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"abcdef")
        writer.close()

    async with serving(send_and_close) as port:
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
        reads = [await stream.read(4, timeout=5) for _ in range(3)]

        assert reads == [b"abcd", b"ef", b""]
        # A closed connection counts as readable: the pool then knows not to reuse it.
        assert stream.get_extra_info("is_readable") is True
        await stream.aclose()


async def test_a_connection_reset_by_the_server_is_a_read_error() -> None:
    async def reset(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raw = writer.get_extra_info("socket")
        # Linger on, for no time: closing sends a reset, not an orderly end.
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    async with serving(reset) as port:
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)

        with pytest.raises(httpcore.ReadError):
            await stream.read(1024, timeout=5)
        await stream.aclose()


async def test_a_server_that_closes_before_answering_is_httpx_remote_protocol_error() -> None:
    async with serving(answering(close=True)) as port, http_client(5) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get(f"http://127.0.0.1:{port}/v1/customers")


async def test_a_response_is_read_in_the_pieces_it_arrives_in() -> None:
    next_piece = asyncio.Event()
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n"
    two_pieces = answering(head + b"first", next_piece, b" piece")

    async with serving(two_pieces) as port, http_client(5) as client:
        async with client.stream("GET", f"http://127.0.0.1:{port}/") as response:
            pieces = response.aiter_raw()
            first = await anext(pieces)
            next_piece.set()
            rest = [piece async for piece in pieces]

        assert (response.status_code, first, rest) == (200, b"first", [b" piece"])


async def _answer_ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answers every request on the connection with "ok", until the client closes it."""
    try:
        while await reader.readuntil(b"\r\n\r\n"):
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, and its key."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    """A server's TLS, with the self-signed certificate."""
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def test_https_is_sent_over_tls_and_the_connection_kept(
    certificate: tuple[Path, Path], server_tls: ssl.SSLContext
) -> None:
    cert, _key = certificate
    trusting = ssl.create_default_context(cafile=str(cert))
    lanes = ConnectionLanes(ssl_context=trusting)

    async with (
        serving(_answer_ok, tls=server_tls) as port,
        http_client(5, transport=lanes) as client,
    ):
        answers = [await client.get(f"https://127.0.0.1:{port}/") for _ in range(2)]

    assert [(answer.status_code, answer.text) for answer in answers] == [(200, "ok"), (200, "ok")]
    streams = [answer.extensions["network_stream"] for answer in answers]
    assert streams[0].get_extra_info("ssl_object") is not None
    assert streams[0].get_extra_info("client_addr") == streams[1].get_extra_info("client_addr")


async def test_a_certificate_not_trusted_is_httpx_connect_error(
    server_tls: ssl.SSLContext,
) -> None:
    async with serving(_answer_ok, tls=server_tls) as port, http_client(5) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(f"https://127.0.0.1:{port}/")


async def test_a_lane_sent_to_another_server_opens_a_connection_to_it() -> None:
    lanes = ConnectionLanes()
    async with (
        serving(_answer_ok) as first,
        serving(_answer_ok) as second,
        http_client(5, transport=lanes) as client,
    ):
        ports = (first, second, first)
        answers = [await client.get(f"http://127.0.0.1:{port}/") for port in ports]
        opened = lanes.lanes

    assert [answer.text for answer in answers] == ["ok", "ok", "ok"]
    servers = [
        answer.extensions["network_stream"].get_extra_info("server_addr") for answer in answers
    ]
    assert ([server[1] for server in servers], opened) == ([first, second, first], 1)


async def test_a_lane_whose_server_closed_the_connection_opens_a_new_one() -> None:
    once = answering(
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", close=True
    )
    lanes = ConnectionLanes()
    async with serving(once) as port, http_client(5, transport=lanes) as client:
        answers = [await client.get(f"http://127.0.0.1:{port}/") for _ in range(2)]
        opened = lanes.lanes

    clients = [
        answer.extensions["network_stream"].get_extra_info("client_addr") for answer in answers
    ]
    assert [answer.text for answer in answers] == ["ok", "ok"]
    assert (clients[0] != clients[1], opened) == (True, 1)
