"""getUpdates as raw JSON, and every way it can fail as one short line.

The poller reads each update on its own (`intake.py`), so it needs the batch before PTB
parses it. Failures become a `PollFault` whose reason names the status or the network
error and never quotes the response body: a proxy's error page could carry anything.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

import httpx

UNAUTHORIZED = frozenset({401, 404})  # how the Bot API answers a token it does not know


class PollFault(Exception):  # noqa: N818 - a fault, named as the domain says
    """getUpdates failed; `reason` is one line, `retry_after` what Telegram asked for."""

    def __init__(self, reason: str, retry_after: float | None = None, fatal: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.fatal = fatal


class UpdateFeed:
    """Long-poll getUpdates on one HTTP client; `close()` when done."""

    def __init__(self, bot_url: str, timeout: float, allowed_updates: list[str]) -> None:
        self.url = f"{bot_url}/getUpdates"
        self.timeout = timeout  # seconds to connect, send, and answer beyond the long poll
        self.allowed_updates = allowed_updates
        self._client = httpx.AsyncClient()

    async def fetch(
        self, offset: int | None, limit: int, wait: int, patience: float | None = None
    ) -> list[Any]:
        """Confirm the updates below offset; return up to limit raw updates from there on."""
        payload: dict[str, Any] = {
            "limit": limit,
            "timeout": wait,
            "allowed_updates": self.allowed_updates,
        }
        if offset is not None:
            payload["offset"] = offset
        seconds = self.timeout if patience is None else patience
        try:
            response = await self._client.post(
                self.url, json=payload, timeout=httpx.Timeout(seconds, read=seconds + wait)
            )
        except httpx.TimeoutException as error:
            raise PollFault(f"timed out ({type(error).__name__})") from None
        except httpx.HTTPError as error:
            raise PollFault(f"connection failed ({type(error).__name__})") from None
        return updates_in(response.status_code, response.content)

    async def close(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()


def updates_in(status: int, body: bytes) -> list[Any]:
    """Return the raw updates of a getUpdates answer, or raise PollFault saying what it was."""
    data = _object(body)
    if status == HTTPStatus.OK:
        result = None if data is None else data.get("result")
        if not isinstance(result, list):
            raise PollFault("HTTP 200 without a list of updates (body not shown)")
        return result
    retry_after = _retry_after(data)
    if status == HTTPStatus.TOO_MANY_REQUESTS or retry_after is not None:
        wait = 1.0 if retry_after is None else retry_after
        raise PollFault(f"flood control ({status}), retry after {wait:g} s", retry_after=wait)
    if status in UNAUTHORIZED:
        raise PollFault(f"the Bot API rejected the token ({status})", fatal=True)
    if status == HTTPStatus.CONFLICT:
        raise PollFault("conflict (409): another poller runs, or a webhook is set")
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "unknown status"
    shape = "JSON" if data is not None else "not JSON"
    raise PollFault(f"HTTP {status} {phrase} ({shape} body, not shown)")


def _object(body: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _retry_after(data: dict[str, Any] | None) -> float | None:
    parameters = (data or {}).get("parameters")
    value = parameters.get("retry_after") if isinstance(parameters, dict) else None
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 3600:
        return float(value)
    return None
