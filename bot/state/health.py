"""Whether a backing service (Redis, the database) is usable, and saying so on change only.

When a call fails the service is marked down: callers fall back (no context, in-process
flood windows, a dropped vote) and the service is tried again after `retry_after`
seconds, so a dead server costs one failed call per interval, not one per message.
One log line per change of state, never one per message; counters for the metrics.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.metrics import BACKEND_FALLBACKS, BACKEND_OUTAGES, BACKEND_UP

logger = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_AFTER_SECONDS = 5.0
Listener = Callable[[str, bool], None]  # (service name, now usable)


class Health:
    """The state of one service: up, or down until the next try."""

    def __init__(
        self,
        name: str,
        fallback: str,
        retry_after: float = RETRY_AFTER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.fallback = fallback  # what callers do meanwhile, for the log line
        self.retry_after = retry_after
        self.clock = clock
        self.up = True
        self.failures = 0  # calls that failed, for the metrics
        self.fallbacks = 0  # calls not tried or failed: answered without the service
        self.listeners: list[Listener] = []
        self._next_try = 0.0
        BACKEND_UP.labels(name).set(1)

    @property
    def usable(self) -> bool:
        """Say whether to call the service now: it is up, or it is time to try again."""
        return self.up or self.clock() >= self._next_try

    def failed(self, error: BaseException) -> None:
        """Record a failed call; log once when the service goes down."""
        self.failures += 1
        self._next_try = self.clock() + self.retry_after
        if self.up:
            self.up = False
            BACKEND_UP.labels(self.name).set(0)
            BACKEND_OUTAGES.labels(self.name).inc()
            # The error's type only: a message may hold a URL with a password.
            logger.warning(
                "%s unavailable (%s): %s", self.name, type(error).__name__, self.fallback
            )
            self._notify()

    def succeeded(self) -> None:
        """Record a call that worked; log once when the service comes back."""
        if not self.up:
            self.up = True
            BACKEND_UP.labels(self.name).set(1)
            logger.warning("%s available again", self.name)
            self._notify()

    def fell_back(self) -> None:
        """Count a call made without the service."""
        self.fallbacks += 1
        BACKEND_FALLBACKS.labels(self.name).inc()

    async def call(
        self,
        operation: Callable[[], Awaitable[T]],
        default: T,
        errors: tuple[type[BaseException], ...],
    ) -> T:
        """Return what operation returns, or default when the service is down or fails."""
        if not self.usable:
            self.fell_back()
            return default
        try:
            result = await operation()
        except errors as error:
            self.failed(error)
            self.fell_back()
            return default
        self.succeeded()
        return result

    def _notify(self) -> None:
        for listener in self.listeners:
            listener(self.name, self.up)
