"""The updates a poller has fetched and not yet confirmed, and the offset that confirms the rest.

Telegram forgets every update below the offset of a getUpdates: that is how updates are
confirmed. The offset is the oldest update still being handled, so nothing is confirmed
before its handling ended.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from bot.tg.intake import update_id_of


class Window:
    """The updates fetched and not yet confirmed, in id order, and the tasks still handling them."""

    def __init__(self) -> None:
        self.running: dict[int, asyncio.Task[None]] = {}
        self.top: int | None = None  # the highest update id fetched so far
        self._fetched: deque[int] = deque()  # ids fetched and not confirmed, ascending

    def offset(self) -> int | None:
        """Return the getUpdates offset that confirms every update finished so far."""
        if self.running:
            return min(self.running)
        return None if self.top is None else self.top + 1

    def add(self, update_id: int) -> None:
        """Note a fetched update (ids come in ascending order)."""
        self.top = update_id if self.top is None else max(self.top, update_id)
        self._fetched.append(update_id)

    def unconfirmed(self) -> int:
        """Return how many fetched updates the offset does not confirm yet."""
        offset = self.offset()
        while self._fetched and offset is not None and self._fetched[0] < offset:
            self._fetched.popleft()
        return len(self._fetched)

    def head(self) -> asyncio.Task[None] | None:
        """Return the task whose end moves the offset on."""
        return self.running[min(self.running)] if self.running else None

    def ids(self, raws: list[Any]) -> list[int | None]:
        """Return each raw update's id; one without a usable id follows the one before it.

        Telegram numbers updates one after another, so a neighbour tells the missing id.
        """
        explicit = [update_id_of(raw) for raw in raws]
        previous = self.top
        if previous is None:
            first = next(((n, i) for n, i in enumerate(explicit) if i is not None), None)
            previous = None if first is None else first[1] - first[0] - 1
        found: list[int | None] = []
        for given in explicit:
            update_id = previous + 1 if given is None and previous is not None else given
            found.append(update_id)
            previous = update_id if update_id is not None else previous
        return found
