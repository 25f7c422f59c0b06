"""One JSON error shape for every error the API returns: ``{"detail": "<English sentence>"}``
(validation errors add ``errors``; a refused but stored message adds the chat contract's fields).
The widget maps status codes to Dutch. Nothing here logs request bodies, tokens or patient ids.
"""
import logging
import traceback
from typing import Any, Dict, List

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("api.errors")

_JSON_TYPES = ("application/json",)


def register(app: FastAPI, max_request_bytes: int) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    # Added last = outermost: it also catches what the size limit or the handlers raise.
    app.add_middleware(BodySizeLimit, max_bytes=max_request_bytes)
    app.add_middleware(CatchAll)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else "request refused"
    if exc.status_code == status.HTTP_400_BAD_REQUEST and detail == "There was an error parsing the body":
        detail = "request body is not valid JSON in UTF-8"  # FastAPI's words for e.g. invalid UTF-8
    return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    # The JSON API only: the nurse pages post forms.
    json_api = request.url.path.startswith("/api/") and request.method == "POST"
    if json_api and content_type and content_type not in _JSON_TYPES and not content_type.endswith("+json"):
        return JSONResponse({"detail": "Content-Type must be application/json"}, status_code=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE)
    # Without the rejected input: it may hold a patient's words, and the client sent it anyway.
    raw = exc.errors()
    if any(error.get("type") == "json_invalid" for error in raw):
        position = raw[0].get("loc", ("body", "?"))[-1]
        return JSONResponse({"detail": f"request body is not valid JSON (error at character {position})"}, status_code=status.HTTP_422_UNPROCESSABLE_ENTITY)
    errors: List[Dict[str, Any]] = [{"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg", ""))} for error in raw]
    summary = "; ".join(f"{'.'.join(e['loc'][1:] or e['loc'])}: {e['msg']}" for e in errors[:3])
    return JSONResponse({"detail": f"invalid request: {summary}", "errors": errors}, status_code=status.HTTP_422_UNPROCESSABLE_ENTITY)


async def _send_json(send: Send, status_code: int, detail: str) -> None:
    response = JSONResponse({"detail": detail}, status_code=status_code)
    await send({"type": "http.response.start", "status": status_code, "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})


class _Tracking:
    """Wraps ``send`` to know whether the response has started (then no error body can follow)."""

    def __init__(self, send: Send):
        self._send = send
        self.started = False

    async def send(self, message: Message) -> None:
        self.started = self.started or message["type"] == "http.response.start"
        await self._send(message)


class _BodyTooLarge(StarletteHTTPException):
    # An HTTPException, because FastAPI turns any other error while reading the body into a 400.
    def __init__(self, max_bytes: int):
        super().__init__(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, f"request body is larger than {max_bytes} bytes")


class BodySizeLimit:
    """413 for a request body over ``max_bytes``: by its Content-Length before reading, or counted
    while it streams in (chunked bodies have none)."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await _send_json(send, status.HTTP_400_BAD_REQUEST, "invalid Content-Length")
                return
            if int(declared) > self.max_bytes:
                await _send_json(send, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, f"request body is larger than {self.max_bytes} bytes")
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge(self.max_bytes)
            return message

        response = _Tracking(send)
        try:
            await self.app(scope, limited_receive, response.send)
        except _BodyTooLarge as exc:  # read outside a route (the route's handler answers it otherwise)
            if not response.started:
                await _send_json(send, exc.status_code, exc.detail)


class CatchAll:
    """A JSON 500 without internals for an unexpected exception, logged by type and code location
    only: exception messages can carry SQL parameters, i.e. a patient's words."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response = _Tracking(send)
        try:
            await self.app(scope, receive, response.send)
        except Exception as exc:  # noqa: BLE001 (the last line of defence)
            where = "".join(traceback.format_tb(exc.__traceback__)[-5:])
            log.error("unhandled %s on %s %s\n%s", type(exc).__name__, scope.get("method"), scope.get("path"), where)
            if not response.started:
                await _send_json(send, status.HTTP_500_INTERNAL_SERVER_ERROR, "internal server error")
