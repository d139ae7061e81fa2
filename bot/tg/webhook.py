"""Webhook mode: our own small tornado server in front of the application's update queue.

This is the pattern of python-telegram-bot's `customwebhookbot` example. PTB's built-in
`run_webhook` answers a body that is not JSON with 500 and logs rejected bodies (user text)
at CRITICAL; this server checks the secret first, in constant time, caps the body size,
refuses every malformed request with a 4xx and never logs a body.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import tornado.httpserver
import tornado.web
from telegram import Update

from bot.tg.context import BotApplication
from bot.tg.ops_http import Route, ops_routes

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
# Telegram updates are a few KiB; anything near this is not from Telegram.
MAX_BODY_BYTES = 1024 * 1024


class _UpdateHandler(tornado.web.RequestHandler):
    """Accept one update per POST: secret, then content type, then a well-formed update."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot_app: BotApplication, secret: str) -> None:
        """Receive the application and the secret (tornado's per-request set-up)."""
        self.bot_app = bot_app
        self.secret = secret.encode()

    async def post(self) -> None:
        """Check the request, then queue the update for the application."""
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            raise tornado.web.HTTPError(403)
        if self.request.headers.get("Content-Type") != "application/json":
            raise tornado.web.HTTPError(403)
        update = self._update(self.request.body)
        await self.bot_app.update_queue.put(update)

    def _update(self, body: bytes) -> Update:
        try:
            data: Any = json.loads(body)
        except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested too deep
            raise tornado.web.HTTPError(400) from None
        if not isinstance(data, dict):
            raise tornado.web.HTTPError(400)
        try:
            update = Update.de_json(data, self.bot_app.bot)
        except Exception:  # any malformed update is the sender's error, not ours
            raise tornado.web.HTTPError(400) from None
        if update is None:
            raise tornado.web.HTTPError(400)
        return update

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Log refusals by status only: a body may quote a user."""
        if isinstance(value, tornado.web.HTTPError):
            logger.info("webhook refused a request: %d", value.status_code)
        else:
            logger.error("webhook failed: %s", typ.__name__ if typ else "error")


@asynccontextmanager
async def webhook_server(
    application: BotApplication, listen: str, port: int, path: str, secret: str
) -> AsyncIterator[None]:
    """Serve POST /<path> on listen:port until the block ends."""
    health = application.bot_data.health
    routes: list[Route] = [
        (f"/{path.strip('/')}", _UpdateHandler, {"bot_app": application, "secret": secret}),
        *ops_routes(health),  # /healthz and /metrics, for the supervisor and Prometheus
    ]
    app = tornado.web.Application(routes, log_function=_quiet)
    server = tornado.httpserver.HTTPServer(app, max_body_size=MAX_BODY_BYTES)
    server.listen(port, address=listen)
    health.server_up = True
    try:
        yield
    finally:
        health.server_up = False
        server.stop()
        await server.close_all_connections()


async def wait_for_stop_signal() -> None:
    """Return on SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


def _quiet(handler: tornado.web.RequestHandler) -> None:
    """Tornado's access log, without the query string (it never carries the secret)."""
    logger.debug("webhook %d %s", handler.get_status(), handler.request.method)
