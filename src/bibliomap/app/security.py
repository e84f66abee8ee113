"""Access control: the access token off localhost, the Host check against DNS rebinding, CSRF checks.

On 127.0.0.1 (the default) only this machine can connect, and the Host header must name
localhost so that a web page cannot reach the app through a rebound domain. On any other
host every request needs the access token printed at start (as Jupyter does): in the
query once (``?token=...``, then kept in an HttpOnly cookie), in the cookie, or in an
``Authorization: token ...`` header. State-changing requests also carry the CSRF token
of the page (a form field or the ``X-CSRF-Token`` header) and, when the browser sends
one, an Origin equal to the app's own.
"""
from __future__ import annotations

import hmac
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
TOKEN_COOKIE = "bibliomap_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def is_local(host: str) -> bool:
    return host in LOCAL_HOSTS


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


def _hostname(host_header: str) -> str:
    if host_header.startswith("["):
        return host_header.split("]")[0] + "]"
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


class Guard:
    """ASGI middleware: 403 without the access token (when one is set), or with a foreign Host or Origin."""

    def __init__(self, app, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if self.token is None and _hostname(host) not in LOCAL_HOSTS:
            await _deny("forbidden: this app only answers to localhost", scope, receive, send)
            return
        origin = headers.get("origin")
        if scope["method"] not in SAFE_METHODS and origin and origin not in (f"http://{host}", f"https://{host}"):
            await _deny("forbidden: cross-origin request", scope, receive, send)
            return
        if self.token is not None:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            cookie = SimpleCookie(headers.get("cookie", ""))
            given_cookie = cookie[TOKEN_COOKIE].value if TOKEN_COOKIE in cookie else None
            auth = headers.get("authorization", "")
            given_header = auth[6:].strip() if auth.lower().startswith("token ") else None
            given_query = (query.get("token") or [None])[0]
            if _same(given_query, self.token) and scope["method"] == "GET":
                rest = {k: v for k, v in query.items() if k != "token"}
                url = scope["path"] + ("?" + urlencode(rest, doseq=True) if rest else "")
                response = RedirectResponse(url, status_code=303)
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                await response(scope, receive, send)
                return
            if not (_same(given_cookie, self.token) or _same(given_header, self.token) or _same(given_query, self.token)):
                await _deny("forbidden: this app needs its access token (printed when it started): open the URL with ?token=...", scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _deny(message: str, scope, receive, send) -> None:
    await PlainTextResponse(message, status_code=403)(scope, receive, send)


def check_csrf(request: Request, given: str | None) -> None:
    """Raise 403 unless ``given`` (form field or header) is this server's CSRF token."""
    given = given or request.headers.get("x-csrf-token")
    if not _same(given, request.app.state.csrf):
        raise HTTPException(403, "forbidden: missing or wrong CSRF token (reload the page)")


async def checked_form(request: Request):
    """The request's form, after the CSRF check."""
    form = await request.form()
    check_csrf(request, form.get("csrf"))
    return form
