"""The HTTP client under every Bot API call, watched: health, failures, a rejected token.

A subclass of PTB's HTTPXRequest for every call the Application makes (getMe, sends,
setWebhook...); getUpdates has its own client in polling.py, which reports to Health itself.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from telegram.request import HTTPXRequest, RequestData

from bot import metrics
from bot.tg.health import NOT_BOT_API, TOKEN_REJECTED, Health

# Methods that exist on every Bot API server: a 404 to them means the token's path is unknown.
_ALWAYS_THERE = frozenset({"getMe", "getUpdates"})


def rejection(method: str, status: int, payload: bytes) -> str | None:
    """Return why an answer means the bot cannot go on (token, wrong server), or None."""
    if status == HTTPStatus.UNAUTHORIZED:
        return TOKEN_REJECTED
    if status != HTTPStatus.NOT_FOUND or method not in _ALWAYS_THERE:
        return None
    try:
        json.loads(payload)
    except ValueError:
        return NOT_BOT_API
    return TOKEN_REJECTED


def failure_reason(error: BaseException) -> str:
    """Return a failure as a closed label: the httpx error's class, or PTB's."""
    cause = error.__cause__
    return type(cause if isinstance(cause, Exception) else error).__name__


class WatchedRequest(HTTPXRequest):
    """HTTPXRequest that counts failed calls and tells Health when the token is rejected."""

    def __init__(self, health: Health, **options: Any) -> None:
        super().__init__(**options)
        self.health = health

    async def do_request(  # noqa: PLR0917 - HTTPXRequest's own signature
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make the request as HTTPXRequest does, then report how it went."""
        endpoint = url.rsplit("/", 1)[-1]
        timeouts = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        try:
            status, payload = await super().do_request(url, method, request_data, *timeouts)
        except Exception as error:
            metrics.SEND_FAILURES.labels(method=endpoint, reason=failure_reason(error)).inc()
            raise
        if not HTTPStatus.OK <= status < HTTPStatus.MULTIPLE_CHOICES:
            metrics.SEND_FAILURES.labels(method=endpoint, reason=f"http_{status}").inc()
            if (reason := rejection(endpoint, status, payload)) is not None:
                self.health.stop_for(reason)
        return status, payload
