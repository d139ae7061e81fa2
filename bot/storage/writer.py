"""Writes happen on one worker thread, in order, off the event loop: a reply never waits.

The queue is bounded: when the database is slow or down and the queue is full, a vote is
dropped (counted) rather than held in memory without limit. While the database is down
(bot/state/health.py) writes are dropped at once instead of each waiting for a timeout.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError

from bot.metrics import STORAGE_DROPPED
from bot.state.health import Health
from bot.storage.store import Store

logger = logging.getLogger(__name__)
T = TypeVar("T")
QUEUE_LIMIT = 1000
Job = Callable[[Store], T]


class StorageDownError(RuntimeError):
    """The write was not made: the database is down, or the queue is full."""


class Writer:
    """Run store jobs on one thread; never more than `limit` waiting."""

    def __init__(self, store: Store, health: Health, limit: int = QUEUE_LIMIT) -> None:
        self.store = store
        self.health = health
        self.limit = limit
        self.dropped = 0  # writes refused because the queue was full, for the metrics
        self._pending = 0
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storage")
        self._stop = threading.Event()

    def submit(self, job: Job[T]) -> Future[T] | None:
        """Queue job; return its future, or None when the queue is full."""
        with self._lock:
            if self._pending >= self.limit:
                self.dropped += 1
                STORAGE_DROPPED.inc()
                return None
            self._pending += 1
        try:
            return self._pool.submit(self._run, job)
        except RuntimeError:  # closed: the bot is stopping
            with self._lock:
                self._pending -= 1
            return None

    def every(self, seconds: float, job: Job[object]) -> None:
        """Queue job now and then every `seconds` until close (retention, for example)."""

        def loop() -> None:
            while True:
                self.submit(job)
                if self._stop.wait(seconds):
                    return

        threading.Thread(target=loop, name="storage-schedule", daemon=True).start()

    def close(self) -> None:
        """Finish the queued writes, then stop the thread."""
        self._stop.set()
        self._pool.shutdown(wait=True)

    def _run(self, job: Job[T]) -> T:
        try:
            if not self.health.usable:
                self.health.fell_back()
                raise StorageDownError("the database is unavailable")
            try:
                if not self.store.migrated:  # first write, or the database was down at start
                    self.store.migrate()
                result = job(self.store)
            except SQLAlchemyError as error:
                self.health.failed(error)
                raise StorageDownError("the database is unavailable") from None
            self.health.succeeded()
            return result
        finally:
            with self._lock:
                self._pending -= 1
