"""The FastAPI application: REST API under /api, web pages at /, OpenAPI at /docs.

    from rasd.api import create_app
    app = create_app("rasd-demo.db", api_key="secret")   # then: uvicorn, or TestClient(app)
"""
from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rasd import __version__
from rasd.api.errors import error_body, error_response, install_error_handlers
from rasd.api.routes import router
from rasd.api.state import API_KEY_ENV, ServerState
from rasd.store import StoreError, open_store, resolve_url

DEFAULT_MAX_BODY_BYTES = 5_000_000  # a large HTML page is ~1 MB; posts are one page each
SERVER_ERROR = error_body(500, "internal server error (see the server log)")

DESCRIPTION = """\
REST API of **rasd** (رصد), Arabic-first news monitoring.

* Lists are paginated with `limit` (1-100, default 20) and `offset`; they return
  `{"total", "limit", "offset", "next_offset", "results"}`.
* Every error has one shape: `{"error": {"status", "code", "message"}}`
  (422 adds `details`).
* `POST /api/ingest` needs the `X-API-Key` header when the server has a key.
"""


class BodyTooLarge(StarletteHTTPException):
    """Raised while reading a streamed body past the limit (an HTTPException, so FastAPI's
    body parsing passes it through to the error handlers unchanged)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large_message(limit))


def _too_large_message(limit: int) -> str:
    return f"request body is larger than the limit of {limit:,} bytes"


class BodySizeLimit:
    """Refuse request bodies over `max_bytes` with 413, before they are read into memory:
    by Content-Length when given, else while the chunks arrive."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await error_response(413, _too_large_message(self.max_bytes))(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, limited_receive, send)


# Defence in depth on top of escaping: pages may only run the server's own script and style.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class SecurityHeaders:
    """nosniff on every response; a strict Content-Security-Policy on HTML pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                headers.append((b"x-content-type-options", b"nosniff"))
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html"):
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                    headers.append((b"referrer-policy", b"same-origin"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _database_path(db: str | os.PathLike[str] | None, create: bool) -> str:
    backend, target = resolve_url(db)
    if backend == "postgresql":
        return target  # a server database: opened (and checked) by create_app
    if target == ":memory:":
        raise StoreError("the server needs a database file (each request opens its own connection)")
    path = Path(target).expanduser()
    if not create and not path.exists():
        raise StoreError(
            f"database {path} does not exist; build one first (rasd ingest PATH --db {target}, or rasd demo)"
        )
    return str(path.resolve())


def create_app(
    db: str | os.PathLike[str] | None = None,
    *,
    api_key: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    create: bool = False,
) -> FastAPI:
    """The app over database `db` (path, sqlite:/// or postgresql:// url; default $RASD_DB or ./rasd.db).

    `api_key` (default: $RASD_API_KEY) protects the write endpoints. The database
    must exist unless `create` is true; it is opened (and migrated) once here so a
    bad path or a too-new schema fails at start-up, not on the first request.
    """
    path = _database_path(db, create)
    with open_store(path):
        pass
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV) or None
    app = FastAPI(
        title="rasd API",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # /docs is rendered by rasd.web.docs (Swagger UI would load from a CDN)
        redoc_url=None,
        openapi_url="/openapi.json",
        responses={500: {"description": "Server error", "content": {"application/json": {"example": SERVER_ERROR}}}},
    )
    app.state.rasd = ServerState(db=path, api_key=key or None, max_body_bytes=max_body_bytes)
    # Imported here: rasd.web's pages import rasd.api's modules (a top-level import would be circular).
    from rasd.web import install as install_web

    html_errors = install_web(app)
    install_error_handlers(app, html_errors)
    app.include_router(router)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app
