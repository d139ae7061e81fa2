"""One record per update: the log line (and, through it, anything that counts outcomes)."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import Forbidden

from bot.tg.context import BotContext
from bot.tg.outcome import ERROR, UNREACHABLE, Outcome, handling

UPDATES = logging.getLogger("bot.tg.updates")
Handler = Callable[[Update, BotContext], Awaitable[Outcome]]
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def logged(handler: Handler) -> Callback:
    """Wrap a handler so that each update it handles gets exactly one log line."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: BotContext) -> None:
        started = time.perf_counter()
        outcome = ERROR
        try:
            with handling(update.update_id):
                outcome = await handler(update, context)
        except Forbidden:
            outcome = UNREACHABLE
            raise
        finally:
            log_update(update, outcome, started, context.bot_data.settings.log_user_text)

    return wrapper


def log_update(update: Update, outcome: Outcome, started: float, with_text: bool) -> None:
    """Log update id, reply kind, entry id and latency; the user's text only on request."""
    latency_ms = (time.perf_counter() - started) * 1000
    UPDATES.info(
        "update=%s kind=%s entry=%s latency_ms=%.0f",
        update.update_id,
        outcome.kind,
        outcome.entry_id or "-",
        latency_ms,
    )
    if with_text:
        UPDATES.debug("update=%s text=%r", update.update_id, user_text(update))


def user_text(update: Update) -> str | None:
    """Return what the user wrote or tapped (for debug logging only)."""
    if update.inline_query is not None:
        return update.inline_query.query
    if update.callback_query is not None:
        return update.callback_query.data
    message = update.effective_message
    return None if message is None else message.text
