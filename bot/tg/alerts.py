"""OPS_CHAT_ID: unexpected errors also go to the operators' chat, at most one a minute.

A logging handler at ERROR, so whatever logs an unexpected error alerts too. The alert
holds the log message (ours never carry user text) and, for a record with an exception,
the traceback with every exception message withheld (messages can quote a user).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from telegram.error import TelegramError

from bot import metrics
from bot.tg.logs import RedactingFilter, scrubbed_traceback

logger = logging.getLogger(__name__)
ALERT_INTERVAL_SECONDS = 60.0  # one alert a minute: a storm must not flood the operators
ALERT_LIMIT = 4000  # characters: under Telegram's 4096 with room for the held-back note
Send = Callable[[str], Awaitable[object]]


class OpsAlerts(logging.Handler):
    """Send ERROR records to a chat, rate-limited, counting the ones held back."""

    def __init__(
        self,
        send: Send,
        loop: asyncio.AbstractEventLoop,
        interval: float = ALERT_INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(logging.ERROR)
        self.send, self.loop, self.interval, self.clock = send, loop, interval, clock
        self.last_sent: float | None = None
        self.held_back = 0
        self.tasks: set[asyncio.Future[None]] = set()
        self.addFilter(RedactingFilter())  # token-shaped strings, whoever logged them

    def emit(self, record: logging.LogRecord) -> None:
        """Queue an alert for record, unless one went out less than `interval` ago."""
        if record.name == __name__:
            return  # our own failures: never alert about alerting
        now = self.clock()
        if self.last_sent is not None and now - self.last_sent < self.interval:
            self.held_back += 1
            metrics.OPS_ALERTS.labels(fate="suppressed").inc()
            return
        text, self.last_sent, self.held_back = compose(record, self.held_back), now, 0
        self.loop.call_soon_threadsafe(self._start, text)

    def _start(self, text: str) -> None:
        task = asyncio.ensure_future(self._deliver(text))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _deliver(self, text: str) -> None:
        try:
            await self.send(text)
        except TelegramError as error:
            metrics.OPS_ALERTS.labels(fate="failed").inc()
            logger.warning("could not send an alert to OPS_CHAT_ID: %s", type(error).__name__)
        else:
            metrics.OPS_ALERTS.labels(fate="sent").inc()


def compose(record: logging.LogRecord, held_back: int) -> str:
    """Return the alert text: level, logger, message, scrubbed traceback, held-back count."""
    parts = [f"{record.levelname} {record.name}: {record.getMessage()}"]
    if record.exc_info and record.exc_info[1] is not None:
        parts.append(scrubbed_traceback(record.exc_info[1]))
    text = "\n\n".join(parts)
    if len(text) > ALERT_LIMIT:  # keep the first line (the update id) and the innermost frames
        head = text.split("\n", 1)[0][:200]
        text = f"{head}\n…\n{text[len(head) - ALERT_LIMIT :]}"
    if held_back:
        text += f"\n\n({held_back} more errors held back since the previous alert)"
    return text
