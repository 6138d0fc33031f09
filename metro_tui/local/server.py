"""Run the local backend with uvicorn: in a background thread (app, tests) or in the foreground."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from metro_tui.local.app import BackendConfig, create_app
from metro_tui.local.db import Database

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


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


def start_in_thread(
    data: Path, config: BackendConfig, *, host: str = "127.0.0.1", port: int = 0
) -> RunningBackend:
    """Serve `data` on a daemon thread and return once the socket accepts connections."""
    db = Database(data)
    app = create_app(db, config)
    port = port or free_port(host)
    server = uvicorn.Server(
        uvicorn.Config(
            app, host=host, port=port, log_level="warning", access_log=False, lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, name="metro-tui-local-backend", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            db.close()
            raise RuntimeError(f"the local backend could not start on {host}:{port}")
        time.sleep(0.01)
    return RunningBackend(host, port, config, db, server, thread)


def serve_forever(data: Path, config: BackendConfig, *, host: str, port: int) -> None:
    """Serve in the foreground until interrupted (Ctrl+C)."""
    db = Database(data)
    try:
        uvicorn.run(
            create_app(db, config),
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            lifespan="off",
        )
    finally:
        db.close()
