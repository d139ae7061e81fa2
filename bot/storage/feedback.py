"""What the chat adapters call: votes, consented misses and /forget, never blocking a reply.

A miss is stored only when the user asked for it (a button, or "send" in the terminal),
never for a message the safety rules routed, and only normalised (digit runs such as a
phone number masked). Votes carry no text at all.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date

from bot.core.model import Reply, ReplyKind
from bot.core.text import normalize
from bot.metrics import FEEDBACK
from bot.storage.people import People
from bot.storage.store import Store
from bot.storage.writer import StorageDownError, Writer

logger = logging.getLogger(__name__)
# Offered under these replies only: the bot could not answer (SAFETY never).
MISS_KINDS = frozenset({ReplyKind.FALLBACK, ReplyKind.CLARIFY})
NONE_OF_THESE = "none_of_these"
PURGE_EVERY_SECONDS = 3600.0
FORGET_WAIT_SECONDS = 10.0
# Long digit runs are phone, order or account numbers, never needed to see what was asked.
_DIGIT_RUN = re.compile(r"\d{5,}")


def normalised_question(question: str) -> str:
    """Return the question as it is stored: normalised, long digit runs masked."""
    return _DIGIT_RUN.sub("#", normalize(question))


class Feedback:
    """Votes, consented misses and forgetting, written by the storage thread."""

    def __init__(
        self,
        writer: Writer,
        people: People,
        retention_days: int,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.writer = writer
        self.people = people
        self.retention_days = retention_days
        self.today = today

    def start(self) -> None:
        """Delete expired misses now and every hour, on the storage thread (never blocks)."""
        self.writer.every(PURGE_EVERY_SECONDS, self._purge)

    def close(self) -> None:
        """Finish the queued writes."""
        self.writer.close()

    def vote(self, user_id: int, entry_id: str, up: bool) -> bool:
        """Queue a vote; say whether it was accepted (False: queue full)."""
        person, day = self.people.of(user_id), self.today()
        future = self.writer.submit(lambda store: store.vote(person, entry_id, up, day))
        return _queued(future, "vote_up" if up else "vote_down")

    def send_miss(
        self, user_id: int, question: str, reply: Reply, *, none_of_these: bool = False
    ) -> bool:
        """Queue a question the user chose to send; refuse safety-routed and answered ones.

        none_of_these: sent after the user refused every "did you mean" option.
        """
        if reply.kind not in MISS_KINDS:
            return False
        text = normalised_question(question)
        if not text:
            return False
        kind = NONE_OF_THESE if none_of_these and reply.kind is ReplyKind.CLARIFY else reply.kind
        person, day, kind = self.people.of(user_id), self.today(), str(kind)
        nearest = [s.entry_id for s in reply.suggestions]
        future = self.writer.submit(lambda store: store.add_miss(person, text, kind, nearest, day))
        return _queued(future, "question")

    async def forget(self, user_id: int) -> bool:
        """Delete every vote and question of the user; say whether it is done."""
        person = self.people.of(user_id)
        future = self.writer.submit(lambda store: store.forget(person))
        if future is None:
            return False
        try:
            await asyncio.wait_for(asyncio.wrap_future(future), FORGET_WAIT_SECONDS)
        except (StorageDownError, TimeoutError):
            return False
        return True

    def _purge(self, store: Store) -> int:
        return store.purge(self.retention_days, self.today())


def _queued(future: Future[None] | None, kind: str) -> bool:
    if future is None:
        return False
    FEEDBACK.labels(kind).inc()
    future.add_done_callback(_log_unexpected)
    return True


def _log_unexpected(future: Future[None]) -> None:
    error = future.exception()
    if error is not None and not isinstance(error, StorageDownError):
        # The type only: a driver's message can quote the row.
        logger.error("storage write failed: %s", type(error).__name__)
