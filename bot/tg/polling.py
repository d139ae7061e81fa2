"""Polling in which Telegram, not the process, keeps the backlog.

PTB's updater confirms a batch as soon as it asks for the next one, and holds whatever it
fetched in memory: a hard kill loses it all. Here an update is confirmed to Telegram (by
the offset of a later getUpdates) only once its handling has ended, and at most
`PollPolicy.window` updates are ever fetched and unconfirmed. So, whatever the backlog:
a hard kill (SIGKILL, out of memory) loses no update and answers at most `window` updates
twice (those whose answers had gone out), and memory holds at most `window` updates.
On stop, fetching ends at once; the updates in flight get `drain` seconds to finish and
are confirmed; any still running then are left to Telegram for the next start.

Updates are handled by the real PTB Application (`process_update`: handlers, rate limiter,
error handler); only fetching is ours. Each raw update is read on its own (`intake.py`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.error import TelegramError

from bot.config import SettingsError
from bot.tg.context import BotApplication
from bot.tg.feed import PollFault, UpdateFeed
from bot.tg.intake import Poison, log_poison, read_update
from bot.tg.processing import process
from bot.tg.window import Window

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PollPolicy:
    """How polling paces itself; tests shrink the waits."""

    window: int = 20  # updates fetched and not yet confirmed, at most: the hard-kill bound
    long_poll: int = 10  # seconds a getUpdates waits for news when nothing is in flight
    busy_wait: float = 0.2  # with updates in flight, look for news this often (latency)
    backoff: float = 1.0  # seconds after a failed getUpdates, doubled up to max_backoff
    max_backoff: float = 30.0
    drain: float = 3.0  # seconds updates in flight get on stop: SIGTERM ends within 5 s
    timeout: float = 5.0  # seconds per getUpdates beyond its long poll
    confirm_timeout: float = 1.0  # the last getUpdates on stop, which confirms what finished


class Poller:
    """Fetch updates into a bounded window and hand each to the Application."""

    def __init__(
        self,
        application: BotApplication,
        feed: UpdateFeed,
        policy: PollPolicy | None = None,
        on_polled: Callable[[], object] | None = None,
        on_fault: Callable[[PollFault], object] | None = None,
    ) -> None:
        self.application = application
        self.feed = feed
        self.policy = policy or PollPolicy()
        self.on_polled = on_polled or (lambda: None)  # e.g. a health check's "last poll"
        self.on_fault = on_fault or (lambda fault: None)  # ... and its "last error"
        self.window = Window()
        self.unplaced = False  # an update without an id waits at the head of the queue
        self.rejected = False  # the token was rejected: nothing can be confirmed any more

    async def serve(self, stop: Awaitable[object]) -> None:
        """Poll until stop completes (or the token is rejected), then finish what is in flight."""
        polling = asyncio.ensure_future(self._poll_forever())
        stopping = asyncio.ensure_future(stop)
        try:
            await asyncio.wait({polling, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            polling.cancel()
            stopping.cancel()
            await asyncio.gather(polling, stopping, return_exceptions=True)
            await self._finish()
        if polling.done() and not polling.cancelled() and (error := polling.exception()):
            raise error  # a fatal PollFault: the token was rejected

    async def _poll_forever(self) -> None:
        failures = 0
        while True:
            busy = bool(self.window.running)
            offset, room = self.window.offset(), self.policy.window
            try:
                raws = await self.feed.fetch(offset, room, 0 if busy else self.policy.long_poll)
            except PollFault as fault:
                self.on_fault(fault)
                if fault.fatal:
                    self.rejected = True
                    raise
                failures += 1
                await self._pause_after(fault, failures)
                continue
            if failures:
                logger.info("getUpdates works again after %d failed tries", failures)
                failures = 0
            self.on_polled()
            fresh = self._take(raws)
            if self.unplaced and not fresh:
                await asyncio.sleep(self.policy.backoff)  # until an update follows it
            head = self.window.head()
            if head is not None and not fresh:
                # Nothing new: only the oldest update finishing moves the offset on.
                full = self.window.unconfirmed() >= self.policy.window
                await asyncio.wait({head}, timeout=None if full else self.policy.busy_wait)

    async def _pause_after(self, fault: PollFault, failures: int) -> None:
        pause = fault.retry_after
        if pause is None:
            pause = min(self.policy.backoff * 2 ** (failures - 1), self.policy.max_backoff)
        logger.warning("getUpdates failed: %s; trying again in %g s", fault.reason, pause)
        await asyncio.sleep(pause)

    def _take(self, raws: list[Any]) -> int:
        """Start handling the updates not seen before; return how many there were."""
        window, fresh = self.window, 0
        for raw, update_id in zip(raws, self.window.ids(raws), strict=True):
            if update_id is not None and window.top is not None and update_id <= window.top:
                continue  # fetched before: still running, or finished and not yet confirmed
            if window.unconfirmed() >= self.policy.window:
                break  # never hold more than the window, whatever the server sends
            item = read_update(raw, self.application.bot)
            if update_id is None:
                # No id, and no neighbour to tell it: nothing to confirm past yet.
                if not self.unplaced:
                    log_poison(Poison(None, f"{_why(item)}; skipped once an update follows"))
                self.unplaced = True
                continue
            fresh += 1
            window.add(update_id)
            if isinstance(item, Poison):
                if not self.unplaced:  # else it was logged while it had no id to go by
                    log_poison(Poison(update_id, item.why))
                self.unplaced = False
                continue
            window.running[update_id] = asyncio.create_task(self._handle(update_id, item))
        return fresh

    async def _handle(self, update_id: int, update: Update) -> None:
        try:
            await process(self.application, update)
        except Exception as error:  # process_update reports handler errors itself
            logger.error("update=%s could not be processed: %s", update_id, type(error).__name__)
        # Not in a finally: an update cancelled on stop stays unconfirmed, for the next start.
        del self.window.running[update_id]

    async def _finish(self) -> None:
        """Give updates in flight `drain` seconds, then confirm every one that finished."""
        tasks = list(self.window.running.values())
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=self.policy.drain)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        offset, left = self.window.offset(), len(self.window.running)
        if offset is None or self.rejected:
            return
        try:
            await self.feed.fetch(offset, 1, 0, patience=self.policy.confirm_timeout)
        except PollFault as fault:
            logger.warning("could not confirm the last updates: %s", fault.reason)
        if left:
            logger.warning("stopped with %d updates unfinished: Telegram keeps them", left)


async def serve_polling(
    application: BotApplication,
    allowed_updates: list[str],
    stop: Awaitable[object],
    policy: PollPolicy | None = None,
    *,
    on_polled: Callable[[], object] | None = None,
    on_fault: Callable[[PollFault], object] | None = None,
) -> None:
    """Initialise, start and poll until stop completes; then shut down cleanly."""
    policy = policy or PollPolicy()
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        try:
            await application.bot.delete_webhook()  # polling and a webhook exclude each other
        except TelegramError as error:
            logger.warning("could not delete the webhook: %s", type(error).__name__)
        await application.start()
        feed = UpdateFeed(application.bot.base_url, policy.timeout, allowed_updates)
        try:
            await Poller(application, feed, policy, on_polled, on_fault).serve(stop)
        except PollFault as fault:  # only a fatal one gets here
            raise SettingsError(
                f"{fault.reason} while polling: check TELEGRAM_BOT_TOKEN with @BotFather"
            ) from None
        finally:
            await feed.close()
            await application.stop()


def _why(item: Update | Poison) -> str:
    return item.why if isinstance(item, Poison) else "it has no usable update_id"
