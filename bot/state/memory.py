"""Conversation memory: per chat, the id of the last answered entry, for a few minutes.

Never the text of a message or an answer: an entry id is all a follow-up needs.
`LocalMemory` keeps it in this process; `bot.state.redis.RedisMemory` in Redis, shared by
replicas.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

DEFAULT_TTL_SECONDS = 600.0
# The oldest chats are dropped past this many, so memory stays bounded under any traffic.
MAX_CHATS = 50_000


class ConversationMemory(Protocol):
    """Per chat: the last answered entry id, kept for a limited time."""

    async def last_entry(self, chat_id: int) -> str | None:
        """Return the last answered entry of this chat, or None (none, or expired)."""
        ...

    async def remember(self, chat_id: int, entry_id: str) -> None:
        """Keep entry_id as this chat's last answered entry, for the time to live."""
        ...

    async def forget(self, chat_id: int) -> None:
        """Drop what is kept for this chat."""
        ...


class LocalMemory:
    """Conversation memory in this process: a time to live and a bounded number of chats."""

    def __init__(
        self,
        ttl: float = DEFAULT_TTL_SECONDS,
        max_chats: int = MAX_CHATS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_chats = max_chats
        self.clock = clock
        self._chats: OrderedDict[int, tuple[str, float]] = OrderedDict()

    async def last_entry(self, chat_id: int) -> str | None:
        """Return the last answered entry of this chat, or None (none, or expired)."""
        kept = self._chats.get(chat_id)
        if kept is None:
            return None
        entry_id, expires = kept
        if expires <= self.clock():
            del self._chats[chat_id]
            return None
        return entry_id

    async def remember(self, chat_id: int, entry_id: str) -> None:
        """Keep entry_id as this chat's last answered entry, for the time to live."""
        self._chats.pop(chat_id, None)
        self._chats[chat_id] = (entry_id, self.clock() + self.ttl)
        while len(self._chats) > self.max_chats:
            self._chats.popitem(last=False)  # the least recently answered chat

    async def forget(self, chat_id: int) -> None:
        """Drop what is kept for this chat."""
        self._chats.pop(chat_id, None)

    def __len__(self) -> int:
        return len(self._chats)
