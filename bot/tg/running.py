"""What a running bot process does besides answering: stop loudly, reload, alert, report.

- A token the Bot API rejects (at any time) stops the run as SIGTERM would, and `run_bot`
  then exits non-zero with one line, so a supervisor restarts it and alerts.
- SIGHUP reloads the content; invalid content keeps the running version.
- OPS_CHAT_ID gets unexpected errors; METRICS_PORT serves /healthz and /metrics.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from typing import Any, TypeVar

from bot import metrics
from bot.config import Settings
from bot.core.errors import ContentError
from bot.tg.alerts import OpsAlerts
from bot.tg.context import BotApplication, Core
from bot.tg.feed import PollFault
from bot.tg.health import Health
from bot.tg.ops_http import ops_server
from bot.tg.webhook import wait_for_stop_signal

logger = logging.getLogger(__name__)
T = TypeVar("T")
LoadCore = Callable[[], Core]  # builds a new core from the content on disk (blocking)
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


async def interruptible(work: Coroutine[Any, Any, T]) -> tuple[bool, T | None]:
    """Run work until it ends or SIGINT/SIGTERM arrives; return (finished, its result)."""
    task = asyncio.ensure_future(work)
    loop = asyncio.get_running_loop()
    for sig in _STOP_SIGNALS:
        loop.add_signal_handler(sig, task.cancel)
    try:
        return True, await task
    except asyncio.CancelledError:
        return False, None
    finally:
        for sig in _STOP_SIGNALS:
            loop.remove_signal_handler(sig)


async def reload_content(application: BotApplication, load: LoadCore) -> bool:
    """Swap in a core built from the content on disk; on any problem keep the running one."""
    try:
        core = await asyncio.to_thread(load)
    except ContentError as error:
        for problem in error.problems:
            logger.error("content reload: %s", problem)
        logger.error(
            "content reload failed (%d problems): still answering with the previous content",
            len(error.problems),
        )
        metrics.CONTENT_RELOADS.labels(result="invalid").inc()
        return False
    data = application.bot_data
    data.core, data.knowledge_base = core, core.kb
    metrics.CONTENT_RELOADS.labels(result="ok").inc()
    logger.info("content reloaded: %d entries", len(core.kb.entries))
    return True


def poll_watcher(health: Health) -> Callable[[PollFault], None]:
    """Return the poller's on_fault hook: count the failure, tell Health."""

    def on_fault(fault: PollFault) -> None:
        # "HTTP 502 Bad Gateway (not JSON body...)" -> "HTTP 502 Bad Gateway": a closed set.
        metrics.POLL_FAILURES.labels(reason=fault.reason.split(" (", 1)[0]).inc()
        health.poll_fault(fault.reason, fault.fatal)

    return on_fault


async def until_stopped(fatal: asyncio.Event) -> None:
    """Return on SIGINT or SIGTERM, or once the bot cannot go on (fatal is set)."""
    waits = {asyncio.ensure_future(wait_for_stop_signal()), asyncio.ensure_future(fatal.wait())}
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()
        await asyncio.gather(*waits, return_exceptions=True)


@asynccontextmanager
async def operated(
    application: BotApplication, settings: Settings, load: LoadCore | None
) -> AsyncIterator[Awaitable[None]]:
    """While the block runs: reload on SIGHUP, alerts, the ops server; yield the stop to await.

    The stop completes on SIGINT or SIGTERM, or when Health learns the bot cannot go on.
    """
    loop = asyncio.get_running_loop()
    fatal, health = asyncio.Event(), application.bot_data.health
    health.on_fatal = fatal.set
    async with AsyncExitStack() as stack:
        if load is not None:
            stack.enter_context(reloading(application, load, loop))
        if settings.ops_chat_id is not None:
            stack.enter_context(alerting(application, settings.ops_chat_id, loop))
        if settings.metrics_port is not None:
            await stack.enter_async_context(
                ops_server(
                    settings.metrics_listen, settings.metrics_port, application.bot_data.health
                )
            )
        stop = asyncio.ensure_future(until_stopped(fatal))
        try:
            yield stop
        finally:
            stop.cancel()
            await asyncio.gather(stop, return_exceptions=True)


@contextmanager
def reloading(
    application: BotApplication, load: LoadCore, loop: asyncio.AbstractEventLoop
) -> Iterator[None]:
    """Reload the content on SIGHUP for the duration of the block."""
    reloads: set[asyncio.Task[bool]] = set()

    def on_hangup() -> None:
        task = loop.create_task(reload_content(application, load))
        reloads.add(task)
        task.add_done_callback(reloads.discard)

    loop.add_signal_handler(signal.SIGHUP, on_hangup)
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGHUP)


def ops_sender(application: BotApplication, chat_id: int) -> Callable[[str], Awaitable[object]]:
    """Return a function that sends plain text to the operators' chat."""

    async def send(text: str) -> object:
        return await application.bot.send_message(chat_id, text, parse_mode=None)

    return send


@contextmanager
def alerting(
    application: BotApplication, chat_id: int, loop: asyncio.AbstractEventLoop
) -> Iterator[OpsAlerts]:
    """Send every ERROR record to chat_id (rate-limited) for the duration of the block."""
    handler = OpsAlerts(ops_sender(application, chat_id), loop)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
