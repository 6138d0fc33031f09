"""textual-serve's web server behind the access token, serving one account to every tab."""

from __future__ import annotations

import asyncio
import errno
import os
import shlex
import signal
import sys
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from metro_tui.config import Settings
from metro_tui.session.connection import Connection
from metro_tui.web.access import AccessToken
from metro_tui.web.hosts import is_loopback, remote_warning, url_host
from metro_tui.web.tab_environment import tab_environment

TITLE = "metro-tui"
TAB_COMMAND = f"{shlex.quote(sys.executable)} -m metro_tui.web.tab"
"""What textual-serve runs for each tab: no settings, no secrets (see `tab_environment`)."""


class BrowserServer(Server):
    """textual-serve's server with the access token in front of every route."""

    def __init__(self, access: AccessToken) -> None:
        super().__init__(TAB_COMMAND, title=TITLE)
        self.access = access
        self._sessions: set[asyncio.Task[Any]] = set()

    async def web_application(self) -> web.Application:
        app = await self._make_app()
        app.middlewares.append(self.access.middleware())
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Print nothing: textual-serve's banner gives the address without its token."""

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, its websocket and assets on the host the browser asked for (which need
        not be the one the server listens on, e.g. 0.0.0.0)."""
        websocket_scheme = "wss" if request.secure else "ws"
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{websocket_scheme}://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab's session; kept so that stopping the server ends every tab's app first."""
        session = asyncio.current_task()
        assert session is not None
        self._sessions.add(session)
        try:
            return await super().handle_websocket(request)
        finally:
            self._sessions.discard(session)

    async def on_shutdown(self, app: web.Application) -> None:
        # A cancelled session tells its app process to quit and waits for it to exit.
        sessions = list(self._sessions)
        for session in sessions:
            session.cancel()
        await asyncio.gather(*sessions, return_exceptions=True)


def serve(settings: Settings, connection: Connection, *, host: str, port: int) -> int:
    """Serve the app on `host`:`port` until Ctrl+C; every tab gets the account of `connection`."""
    local_data = settings.data_file if connection.is_local else None
    # textual-serve starts each tab with a copy of this process's environment.
    os.environ.update(tab_environment(settings, local_data=local_data))
    return asyncio.run(_serve_until_stopped(connection, host, port))


async def _serve_until_stopped(connection: Connection, host: str, port: int) -> int:
    await connection.close()  # the tabs make their own; this one only named the account
    access = AccessToken()
    runner = web.AppRunner(await BrowserServer(access).web_application(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError as error:
        await runner.cleanup()
        reason = (
            "it is already in use; choose another with --port (0 picks a free one)"
            if error.errno == errno.EADDRINUSE
            else str(error)
        )
        print(f"metro-tui serve: cannot listen on {host} port {port}: {reason}.", file=sys.stderr)
        return 1
    bound_port: int = runner.addresses[0][1]
    if not is_loopback(host):
        print(remote_warning(host, bound_port), file=sys.stderr, flush=True)
    print(
        f"metro-tui serve: serving {connection.label} on {host} port {bound_port}.\n"
        "Open this URL in a browser (it carries the access token: share it only with people "
        "who may see this account):\n"
        f"    {access.url(f'http://{url_host(host)}:{bound_port}')}\n"
        "Each browser tab runs its own copy of the app. Press Ctrl+C to stop.",
        flush=True,
    )
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stopped.set)
    await stopped.wait()
    print("metro-tui serve: stopping; closing every tab.", file=sys.stderr, flush=True)
    await runner.cleanup()
    return 0
