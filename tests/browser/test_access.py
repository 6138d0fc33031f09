"""The access token in front of every route of the served app, tested in-process over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp import WSServerHandshakeError
from aiohttp.test_utils import TestClient, TestServer

from metro_tui.web.access import REFUSAL, AccessToken
from metro_tui.web.server import BrowserServer

ROUTES = ["/", "/ws", "/static/js/textual.js", "/static/", "/download/some-key", "/nothing"]
"""The page, its websocket, textual-serve's assets and downloads, and a route that is not one."""


class Served:
    def __init__(self, client: TestClient, access: AccessToken) -> None:
        self.client = client
        self.access = access
        self.token = parse_qs(urlsplit(access.url("http://x")).query)["token"][0]


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    access = AccessToken()
    app = await BrowserServer(access).web_application()
    async with TestClient(TestServer(app)) as client:
        yield Served(client, access)


@pytest.mark.parametrize("route", ROUTES)
async def test_every_route_refuses_a_request_without_the_token(served: Served, route: str) -> None:
    response = await served.client.get(route)
    assert response.status == 403
    assert await response.text() == REFUSAL
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("route", ROUTES)
async def test_a_wrong_token_is_refused(served: Served, route: str) -> None:
    wrong = served.token[:-1] + ("A" if served.token[-1] != "A" else "B")
    response = await served.client.get(route, params={"token": wrong})
    assert response.status == 403


async def test_the_websocket_refuses_a_handshake_without_the_token(served: Served) -> None:
    with pytest.raises(WSServerHandshakeError) as refused:
        await served.client.ws_connect("/ws")
    assert refused.value.status == 403


async def test_the_page_with_the_token_points_its_websocket_at_the_host_asked_for(
    served: Served,
) -> None:
    response = await served.client.get("/", params={"token": served.token})
    assert response.status == 200
    page = await response.text()
    host = f"{served.client.host}:{served.client.port}"
    assert f'data-session-websocket-url="ws://{host}/ws"' in page
    assert 'href="/static/css/xterm.css"' in page
    cookie = response.cookies[served.access.cookie_name]
    assert cookie.value == served.token
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/"


async def test_the_cookie_lets_in_the_pages_assets(served: Served) -> None:
    await served.client.get("/", params={"token": served.token})
    response = await served.client.get("/static/js/textual.js")
    assert response.status == 200
    assert "Set-Cookie" not in response.headers


async def test_a_request_from_another_page_is_refused_even_with_the_cookie(served: Served) -> None:
    """Cookies ignore ports: a page at another port of this host must not drive the app."""
    await served.client.get("/", params={"token": served.token})
    other_page = f"http://{served.client.host}:{served.client.port + 1}"
    response = await served.client.get("/static/js/textual.js", headers={"Origin": other_page})
    assert response.status == 403
    with pytest.raises(WSServerHandshakeError) as refused:
        await served.client.ws_connect("/ws", origin=other_page)
    assert refused.value.status == 403
    own_page = f"http://{served.client.host}:{served.client.port}"
    response = await served.client.get("/static/js/textual.js", headers={"Origin": own_page})
    assert response.status == 200


def test_every_run_has_its_own_token_and_cookie() -> None:
    first, second = AccessToken(), AccessToken()
    assert first.url("http://h:1") != second.url("http://h:1")
    assert first.cookie_name != second.cookie_name
    token = parse_qs(urlsplit(first.url("http://h:1")).query)["token"][0]
    assert len(token) >= 43  # 32 random bytes, base64
    assert first.url("http://h:1") == f"http://h:1/?token={token}"
