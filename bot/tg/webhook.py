"""Webhook mode: our own small tornado server in front of the Application.

This is the pattern of python-telegram-bot's `customwebhookbot` example, with what PTB's
built-in `run_webhook` lacks. The secret is checked first, in constant time; the body is
capped; a request that is not a JSON object is refused with 400; nothing of a body is
ever logged. An update is answered 200 only **after** it was handled, so Telegram
delivers again what a crash cut short; a redelivered `update_id` is answered once (the
ledger, `ledger.py`); an update PTB cannot read is logged once and acknowledged (200:
delivering it again could not help). At most `concurrency` updates are handled at once
(Telegram is asked for as many connections), so a hard kill answers at most that many
twice. Connections must send their headers and body in time and are closed when idle;
at most `max_connections` are open (`acceptor.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import tornado.httputil
import tornado.netutil
import tornado.web
from telegram import Update

from bot.tg.acceptor import Acceptor, CappedServer, connection_cap
from bot.tg.context import BotApplication
from bot.tg.intake import Poison, log_poison, read_update
from bot.tg.ledger import Claim, MemoryLedger, UpdateLedger
from bot.tg.ops_http import Route, ops_routes
from bot.tg.processing import process

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
# Telegram updates are a few KiB; anything near this is not from Telegram.
MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class WebhookLimits:
    """What a connection may take; tests shrink the timeouts."""

    idle_timeout: float = 10.0  # seconds for a request's headers, and between requests
    body_timeout: float = 10.0  # seconds for a request's body
    max_connections: int = 100  # open at once, lowered to fit the open-files limit
    concurrency: int = 20  # updates handled at once: at most this many twice after a kill
    drain: float = 3.0  # seconds updates in flight get on stop: SIGTERM ends within 5 s


@dataclass
class _Shared:
    """What every request handler of one server shares."""

    application: BotApplication
    secret: bytes
    ledger: UpdateLedger
    slots: asyncio.Semaphore
    acceptor: Acceptor | None = None
    stopping: bool = False  # new requests get 503 while the ones in flight finish
    active: int = 0  # updates being handled (or waiting for a slot) right now
    idle: asyncio.Event = field(default_factory=asyncio.Event)  # set while active is 0

    def __post_init__(self) -> None:
        self.idle.set()


class _UpdateHandler(tornado.web.RequestHandler):
    """Accept one update per POST: secret, content type, then handle it and answer."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, shared: _Shared) -> None:
        """Receive what the server's handlers share (tornado's per-request set-up)."""
        self.shared = shared

    def prepare(self) -> None:
        """Mark the connection as in a request: it is not closed to make room for others."""
        if self.shared.acceptor is not None:
            self.shared.acceptor.working(_stream(self.request), busy=True)

    def on_finish(self) -> None:
        """Mark the connection as idle again."""
        if self.shared.acceptor is not None:
            self.shared.acceptor.working(_stream(self.request), busy=False)

    async def post(self) -> None:
        """Check the request, handle the update once, then answer 200."""
        if self.shared.stopping:
            raise tornado.web.HTTPError(503)  # shutting down: Telegram delivers it again later
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.shared.secret):
            raise tornado.web.HTTPError(403)
        if self.request.headers.get("Content-Type") != "application/json":
            raise tornado.web.HTTPError(403)
        item = read_update(_json_object(self.request.body), self.shared.application.bot)
        update_id = item.update_id
        claim = Claim.NEW if update_id is None else await self.shared.ledger.claim(update_id)
        if claim is Claim.BUSY:
            raise tornado.web.HTTPError(503)  # handled right now: Telegram tries again later
        if claim is Claim.NEW:
            await self._handle(item)

    async def _handle(self, item: Update | Poison) -> None:
        if isinstance(item, Poison):
            log_poison(item)
        else:
            await self._process(item)
        if item.update_id is not None:
            await self.shared.ledger.finish(item.update_id)

    async def _process(self, update: Update) -> None:
        shared = self.shared
        shared.active += 1
        shared.idle.clear()
        try:
            async with shared.slots:
                await process(shared.application, update)
        except BaseException:
            await shared.ledger.release(update.update_id)  # cut short: handle it when redelivered
            raise
        finally:
            shared.active -= 1
            if not shared.active:
                shared.idle.set()

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Log refusals by status only: a body may quote a user."""
        if isinstance(value, tornado.web.HTTPError):
            logger.info("webhook refused a request: %d", value.status_code)
        else:
            logger.error("webhook failed: %s", typ.__name__ if typ else "error")


def _stream(request: tornado.httputil.HTTPServerRequest) -> object:
    return getattr(request.connection, "stream", None)


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested too deep
        raise tornado.web.HTTPError(400) from None
    if not isinstance(data, dict):
        raise tornado.web.HTTPError(400)
    return data


@asynccontextmanager
async def webhook_server(
    application: BotApplication,
    listen: str,
    port: int,
    path: str,
    secret: str,
    *,
    limits: WebhookLimits | None = None,
    ledger: UpdateLedger | None = None,
) -> AsyncIterator[None]:
    """Serve POST /<path> on listen:port until the block ends; then let updates finish."""
    limits = limits or WebhookLimits()
    health = application.bot_data.health
    shared = _Shared(
        application,
        secret.encode(),
        ledger or MemoryLedger(),
        asyncio.Semaphore(limits.concurrency),
    )
    routes: list[Route] = [
        (f"/{path.strip('/')}", _UpdateHandler, {"shared": shared}),
        *ops_routes(health),  # /healthz and /metrics, for the supervisor and Prometheus
    ]
    app = tornado.web.Application(routes, log_function=_quiet)
    server = CappedServer(
        app,
        max_body_size=MAX_BODY_BYTES,
        idle_connection_timeout=limits.idle_timeout,
        body_timeout=limits.body_timeout,
    )
    sockets = tornado.netutil.bind_sockets(port, address=listen)
    acceptor = Acceptor(server, sockets, connection_cap(limits.max_connections))
    shared.acceptor = acceptor
    health.server_up = True
    try:
        yield
    finally:
        health.server_up = False
        acceptor.close()
        shared.stopping = True
        with contextlib.suppress(TimeoutError):  # updates in flight finish, answered 200
            await asyncio.wait_for(shared.idle.wait(), limits.drain)
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
