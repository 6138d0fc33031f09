"""Run the local backend with uvicorn: in a background thread (app, tests) or in the foreground.

The listening socket is bound here, before uvicorn starts, rather than by uvicorn: a port is
then taken or refused at one moment with no window for another server in between, a caller
knows the server is reachable as soon as the socket listens (connections queue until uvicorn
accepts them), and a port left in TIME_WAIT by a server that just stopped or crashed is reused
at once, as uvicorn itself would (SO_REUSEADDR; a listening server still refuses the bind).

The socket names its protocol (TCP): asyncio turns Nagle's algorithm off (TCP_NODELAY) only on
connections whose socket says TCP, and uvicorn writes a response's head and body apart. With
Nagle on, the body waited for the client's delayed acknowledgement of the head, about 40 ms on
Linux: every request on a kept-alive connection took 40 ms more than the server's work.
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp

from metro_tui.local.app import create_app
from metro_tui.local.config import BackendConfig
from metro_tui.local.db import Database


@dataclass
class RunningBackend:
    """A backend serving on a background thread."""

    host: str
    port: int
    config: BackendConfig
    db: Database
    _server: uvicorn.Server
    _thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def metronome_url(self) -> str:
        return self.url

    @property
    def stripe_url(self) -> str:
        return f"{self.url}/stripe"

    @property
    def stripe_key(self) -> str:
        return f"sk_test_{self.config.token}"

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self.db.close()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (0 picks a free port); OSError when a server holds it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        if os.name == "posix":
            # Elsewhere (Windows) SO_REUSEADDR would let two servers share the port.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def listen(sock: socket.socket) -> socket.socket:
    """Start accepting connections on a bound socket (closed if that fails)."""
    try:
        sock.listen(socket.SOMAXCONN)
    except OSError:
        sock.close()
        raise
    return sock


def start_in_thread(
    data: Path, config: BackendConfig, *, host: str = "127.0.0.1", port: int = 0
) -> RunningBackend:
    """Serve `data` on a daemon thread; the socket accepts connections once this returns."""
    sock = listen(bind(host, port))
    db = Database(data)
    server = _uvicorn_server(create_app(db, config))
    thread = threading.Thread(
        target=server.run, args=([sock],), name="metro-tui-local-backend", daemon=True
    )
    thread.start()
    return RunningBackend(host, sock.getsockname()[1], config, db, server, thread)


def serve_forever(data: Path, config: BackendConfig, *, sock: socket.socket) -> None:
    """Serve on the listening socket in the foreground until interrupted (Ctrl+C)."""
    db = Database(data)
    try:
        _uvicorn_server(create_app(db, config)).run([sock])
    finally:
        db.close()
        sock.close()


def _uvicorn_server(app: ASGIApp) -> uvicorn.Server:
    return uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    )
