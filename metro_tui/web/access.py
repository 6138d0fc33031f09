"""Who may open the served app: whoever has the URL with its access token.

As in Jupyter, every start makes a random token and prints the URL that carries it. A
request with the token in its query is let in and given a cookie, because textual-serve's page
asks for its scripts and its websocket without the query; any request with neither gets 403,
whatever the route, so nothing reveals the app or its data. The cookie is HttpOnly and
SameSite=Strict, and named for this run so two servers on one host keep theirs apart. Cookies
ignore ports, so a request that names another page as its Origin (another site, or another
port of this host) is refused even with the cookie: no other page in the same browser can
drive the app.

The token is compared in constant time, and never logged: the server keeps no access log, and
a refusal is reported by path, which holds no query.
"""

from __future__ import annotations

import secrets
import sys
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

TOKEN_PARAMETER = "token"
REFUSAL = (
    "403 Forbidden: open the URL that `metro-tui serve` printed when it started; "
    "it carries the access token.\n"
)


class AccessToken:
    """A random token for one run of the server, and the rule that checks requests for it."""

    def __init__(self) -> None:
        self._value = secrets.token_urlsafe(32)
        self.cookie_name = f"metro-tui-access-{secrets.token_hex(4)}"

    def url(self, base_url: str) -> str:
        """The address to open: `base_url` with the token in the query."""
        return f"{base_url}/?{TOKEN_PARAMETER}={self._value}"

    def admits(self, request: web.Request) -> bool:
        offered = request.query.get(TOKEN_PARAMETER) or request.cookies.get(self.cookie_name)
        if offered is None or not secrets.compare_digest(offered.encode(), self._value.encode()):
            return False
        origin = request.headers.get("Origin")
        return origin is None or urlsplit(origin).netloc == request.host

    def middleware(self) -> Middleware:
        """aiohttp middleware: 403 without the token; the cookie once the page is let in."""

        @web.middleware
        async def require_token(request: web.Request, handler: Handler) -> web.StreamResponse:
            if not self.admits(request):
                print(
                    f"metro-tui serve: refused {request.method} {request.path} from "
                    f"{request.remote}: no valid access token",
                    file=sys.stderr,
                    flush=True,
                )
                return web.Response(status=403, text=REFUSAL)
            response = await handler(request)
            if TOKEN_PARAMETER in request.query and isinstance(response, web.Response):
                response.set_cookie(
                    self.cookie_name,
                    self._value,
                    path="/",
                    httponly=True,
                    samesite="Strict",
                )
            return response

        return require_token
