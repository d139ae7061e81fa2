"""A stand-in for Telegram's side of a webhook: deliver updates until each gets a 200.

Telegram sends a webhook at most `max_connections` requests at once and repeats a request
that got no 2xx (refused, dropped, 503) after a pause, until it is acknowledged.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from typing import Any

import httpx

from bot.testing.constants import SECRET

HEADERS = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}


class TelegramSender:
    """Deliver updates to a webhook like Telegram: a few at once, each until it gets 200."""

    def __init__(self, url: str, connections: int = 20, pause: float = 0.1) -> None:
        self.url, self.connections, self.pause = url, connections, pause
        self.attempts: Counter[int] = Counter()
        self.acknowledged: set[int] = set()
        self.in_flight = 0
        self._thread: threading.Thread | None = None

    def start(self, updates: list[dict[str, Any]]) -> TelegramSender:
        """Deliver the updates in a background thread."""
        self._thread = threading.Thread(target=asyncio.run, args=(self._deliver(updates),))
        self._thread.start()
        return self

    def join(self, seconds: float) -> None:
        """Wait for every update to be acknowledged; fail after `seconds`."""
        assert self._thread is not None
        self._thread.join(seconds)
        assert not self._thread.is_alive(), "Telegram's deliveries never all got a 200"

    async def _deliver(self, updates: list[dict[str, Any]]) -> None:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        for update in updates:
            queue.put_nowait(update)
        async with httpx.AsyncClient(timeout=30) as client:
            workers = [self._worker(client, queue) for _ in range(self.connections)]
            await asyncio.gather(*workers)

    async def _worker(self, client: httpx.AsyncClient, queue: asyncio.Queue[Any]) -> None:
        while not queue.empty():
            update = queue.get_nowait()
            while not await self._post(client, update):  # noqa: ASYNC110 - Telegram's retry
                await asyncio.sleep(self.pause)
            self.acknowledged.add(update["update_id"])

    async def _post(self, client: httpx.AsyncClient, update: dict[str, Any]) -> bool:
        self.attempts[update["update_id"]] += 1
        self.in_flight += 1
        try:
            response = await client.post(self.url, content=json.dumps(update), headers=HEADERS)
        except httpx.HTTPError:
            return False
        finally:
            self.in_flight -= 1
        return response.status_code == 200
