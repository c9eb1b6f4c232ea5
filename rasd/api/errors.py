"""One error shape for every error the server returns.

    {"error": {"status": 404, "code": "not_found", "message": "no article with id 'abcd'"}}

422 validation errors add `"details": [{"field": "query.limit", "message": "..."}]`.
API clients always get this JSON; a browser asking for a web page (a non-/api
path with `Accept: text/html`) gets the same error rendered as an HTML page.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("rasd.api")

# status → machine-readable code
CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    500: "internal_error",
    501: "not_implemented",
    503: "unavailable",
}


class ApiError(Exception):
    """Raise from any endpoint or page to answer with the error shape."""

    def __init__(self, status: int, message: str, code: str | None = None, details: list[dict] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.details = details


def error_body(status: int, message: str, code: str | None = None, details: list[dict] | None = None) -> dict:
    error: dict[str, Any] = {"status": status, "code": code or CODES.get(status, "error"), "message": message}
    if details:
        error["details"] = details
    return {"error": error}


def error_response(status: int, message: str, code: str | None = None, details: list[dict] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:  # fmt: skip
    return JSONResponse(error_body(status, message, code, details), status_code=status, headers=headers)


# A hook set by the web package: renders an HTML error page for browsers.
HtmlErrorRenderer = Callable[[Request, int, str], Response]


def wants_html(request: Request) -> bool:
    """A browser asking for a page (never for /api/ paths: API clients always get JSON)."""
    path = request.url.path
    if path == "/api" or path.startswith(("/api/", "/static/")):
        return False
    return "text/html" in request.headers.get("accept", "")


def _validation_details(exc: RequestValidationError) -> list[dict]:
    details = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ())]
        details.append({"field": ".".join(loc), "message": err.get("msg", "invalid value")})
    return details


def _validation_message(details: list[dict]) -> str:
    parts = []
    for d in details[:5]:
        field = d["field"].split(".", 1)[-1] if "." in d["field"] else d["field"]
        parts.append(f"{field}: {d['message']}")
    return "invalid request: " + "; ".join(parts) if parts else "invalid request"


def install_error_handlers(app: FastAPI, html_renderer: HtmlErrorRenderer | None = None) -> None:
    """Route every error through `error_response` (or the HTML renderer for browsers)."""

    def respond(request: Request, status: int, message: str, code: str | None = None,
                details: list[dict] | None = None, headers: dict[str, str] | None = None) -> Response:  # fmt: skip
        if html_renderer is not None and wants_html(request):
            return html_renderer(request, status, message)
        return error_response(status, message, code, details, headers)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return respond(request, exc.status, exc.message, exc.code, exc.details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if status == 404 and message == "Not Found":
            message = f"no such page or endpoint: {request.method} {request.url.path}"
        elif status == 405:
            message = f"method {request.method} is not allowed on {request.url.path}"
        return respond(request, status, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        details = _validation_details(exc)
        return respond(request, 422, _validation_message(details), details=details)

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception) -> Response:
        # The traceback goes to the server log, never to the client.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return respond(request, 500, "internal server error (see the server log)")
