"""GET /healthz and GET /metrics for supervisors and Prometheus, on tornado.

Served on the webhook server in webhook mode, and on METRICS_LISTEN:METRICS_PORT when that
is set. Neither page carries anything a user wrote.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import tornado.httpserver
import tornado.web

from bot import metrics
from bot.tg.health import Health

logger = logging.getLogger(__name__)
Route = tuple[str, type[tornado.web.RequestHandler], dict[str, Any]]


class _Healthz(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("GET",)

    def initialize(self, health: Health) -> None:
        """Receive the health state (tornado's per-request set-up)."""
        self.health = health

    def get(self) -> None:
        """Answer 200 while updates arrive, else 503; the body says why."""
        healthy, reason = self.health.status()
        self.set_status(200 if healthy else 503)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(f"{reason}\n")


class _Metrics(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("GET",)

    def get(self) -> None:
        """Answer with every metric in the Prometheus text format."""
        self.set_header("Content-Type", metrics.CONTENT_TYPE)
        self.finish(metrics.exposition())


def ops_routes(health: Health) -> list[Route]:
    """Return the routes of /healthz and /metrics, to mount on any tornado server."""
    return [("/healthz", _Healthz, {"health": health}), ("/metrics", _Metrics, {})]


def quiet(handler: tornado.web.RequestHandler) -> None:
    """Tornado's access log at DEBUG, without the query string."""
    logger.debug(
        "http %d %s %s", handler.get_status(), handler.request.method, handler.request.path
    )


@asynccontextmanager
async def ops_server(listen: str, port: int, health: Health) -> AsyncIterator[None]:
    """Serve /healthz and /metrics on listen:port until the block ends."""
    app = tornado.web.Application(ops_routes(health), log_function=quiet)
    server = tornado.httpserver.HTTPServer(app)
    server.listen(port, address=listen)
    logger.info("health and metrics on http://%s:%d/healthz and /metrics", listen, port)
    try:
        yield
    finally:
        server.stop()
        await server.close_all_connections()
