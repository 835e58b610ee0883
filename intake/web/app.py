"""Assemble the web app: storage, middleware, error answers, routes, and the worker's life.

`create_app` is the one entry point (`intake serve` and the tests call it);
nothing here knows how a page looks or how a file is checked.
"""

from __future__ import annotations

import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from intake.ocr import DEFAULT_ENGINE
from intake.web import api, pages
from intake.web.auth import BasicCache, CsrfFailed, LoginRequired, secret_key
from intake.web.db import Store, connect, sqlite_url
from intake.web.uploads import MAX_APPLICATION_BYTES, MB, SMALL_BODY, BodyLimitMiddleware, BodyTooLarge, UploadRejected, clean_leftovers
from intake.web.worker import Worker

log = logging.getLogger("intake.web")
SESSION_HOURS = 10  # one working day at the desk
CSP = ("default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")


def wants_json(request_path: str) -> bool:
    return request_path.startswith("/api/")


def message_response(path: str, status: int, message: str) -> Response:
    """JSON `{"detail": ...}` for the API, a short page for a browser."""
    if wants_json(path):
        return JSONResponse({"detail": message}, status_code=status)
    body = pages.templates.get_template("error.html").render(status=status, message=message)
    return HTMLResponse(body, status_code=status)


def too_large_response(path: str, limit: int) -> Response:
    if limit > SMALL_BODY:  # an upload: say the limit staff know, not the one with the form's overhead
        return message_response(path, 413, f"上传内容过大：每份申请最多 {MAX_APPLICATION_BYTES // MB} MB / "
                                           f"upload too large: at most {MAX_APPLICATION_BYTES // MB} MB per application")
    return message_response(path, 413, "请求内容过大 / request too large")


class SecurityHeaders:
    """No framing, no sniffing, nothing cached: pages carry names and ID numbers."""

    def __init__(self, app) -> None:  # noqa: ANN001 - ASGI app
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001 - ASGI signature
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def with_headers(message) -> None:  # noqa: ANN001
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = {b"x-content-type-options": b"nosniff", b"x-frame-options": b"DENY",
                         b"referrer-policy": b"same-origin", b"content-security-policy": CSP.encode()}
                if not static and b"cache-control" not in names:
                    extra[b"cache-control"] = b"no-store"
                headers += [(k, v) for k, v in extra.items() if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(data: Path, database_url: str | None = None, engine: str | None = None, workers: int = 1) -> FastAPI:
    data = data.resolve()
    uploads, thumbs = data / "uploads", data / "thumbs"
    for folder in (data, uploads, thumbs):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    store = Store(connect(database_url or sqlite_url(data)))
    engine = engine or os.environ.get("INTAKE_WEB_ENGINE", DEFAULT_ENGINE)
    worker = Worker(store, uploads, engine, workers)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # noqa: ANN202
        tidied = clean_leftovers(uploads, store.ids(), data / "uploads-orphaned")
        if tidied:
            log.info("tidied %d unanswered uploads left by a crash", len(tidied))
        worker.start()
        yield
        worker.stop()

    app = FastAPI(title="intake", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store, app.state.worker, app.state.basic_cache = store, worker, BasicCache()
    app.state.data, app.state.uploads, app.state.thumbs = data, uploads, thumbs

    @app.exception_handler(LoginRequired)
    async def _login(_request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.next_path, safe='/')}", 303)

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, _exc: CsrfFailed) -> Response:
        return message_response(request.url.path, 403, "表单已失效或来自其他网站，请刷新页面后重试 / "
                                                       "the form expired or came from another site; reload and try again")

    @app.exception_handler(UploadRejected)
    async def _rejected(request: Request, exc: UploadRejected) -> Response:
        return message_response(request.url.path, exc.status, exc.message)

    @app.exception_handler(BodyTooLarge)
    async def _too_large(request: Request, exc: BodyTooLarge) -> Response:
        return too_large_response(request.url.path, exc.limit)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        response = message_response(request.url.path, exc.status_code, str(exc.detail))
        response.headers.update(exc.headers or {})
        return response

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.add_middleware(SessionMiddleware, secret_key=secret_key(data), session_cookie="intake_session",
                       max_age=SESSION_HOURS * 3600, same_site="lax",
                       https_only=os.environ.get("INTAKE_WEB_SECURE_COOKIE") == "1")
    app.add_middleware(SecurityHeaders)
    # Outermost, so an oversized body is stopped before anything reads it.
    app.add_middleware(BodyLimitMiddleware, respond=lambda scope, limit: too_large_response(scope["path"], limit))
    return app
