"""Per-user flood limit: a sliding window of accepted messages, pure and clock-free.

`FloodWindows` is what the Telegram adapter asks; `LocalFlood` keeps the windows in this
process, `bot.state.redis.RedisFlood` in Redis so that several replicas share them.
"""

from __future__ import annotations

import enum
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

# Forget users idle for longer than the window once this many are tracked.
PRUNE_AT = 10_000


class Verdict(enum.Enum):
    """What to do with one message from a user."""

    ALLOW = "allow"
    WARN = "warn"  # over the limit: say "slow down" once
    DROP = "drop"  # over the limit and already told: stay silent


@dataclass
class _Sender:
    accepted: deque[float] = field(default_factory=deque)
    warned: bool = False


class FloodGuard:
    """Allow each user `max_messages` messages per `window` seconds."""

    def __init__(self, max_messages: int, window: float) -> None:
        self.max_messages = max_messages
        self.window = window
        self._senders: dict[int, _Sender] = {}

    def check(self, user_id: int, now: float) -> Verdict:
        """Return the verdict for a message from user_id at time now (seconds)."""
        if len(self._senders) >= PRUNE_AT:
            self._prune(now)
        sender = self._senders.setdefault(user_id, _Sender())
        while sender.accepted and sender.accepted[0] <= now - self.window:
            sender.accepted.popleft()
        if len(sender.accepted) < self.max_messages:
            sender.accepted.append(now)
            sender.warned = False
            return Verdict.ALLOW
        if sender.warned:
            return Verdict.DROP
        sender.warned = True
        return Verdict.WARN

    def _prune(self, now: float) -> None:
        idle = [
            user_id
            for user_id, sender in self._senders.items()
            if not sender.accepted or sender.accepted[-1] <= now - self.window
        ]
        for user_id in idle:
            del self._senders[user_id]


class FloodWindows(Protocol):
    """Where the flood windows live: this process, or a store shared by replicas."""

    async def check(self, user_id: int) -> Verdict:
        """Return the verdict for a message from user_id arriving now."""
        ...


class LocalFlood:
    """Flood windows in this process's memory (the default; one replica)."""

    def __init__(self, guard: FloodGuard, clock: Callable[[], float] = time.monotonic) -> None:
        self.guard = guard
        self.clock = clock

    async def check(self, user_id: int) -> Verdict:
        """Return the verdict for a message from user_id arriving now."""
        return self.guard.check(user_id, self.clock())
