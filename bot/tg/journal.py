"""One record per update: the log line (and, through it, anything that counts outcomes)."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import Forbidden

from bot import metrics
from bot.tg.context import BotContext
from bot.tg.outcome import ERROR, IGNORED, UNREACHABLE, Outcome, handling

UPDATES = logging.getLogger("bot.tg.updates")
ALL_TYPES: tuple[str, ...] = tuple(
    str(t) for t in Update.ALL_TYPES
)  # update fields, such as "message"
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
    """Log and count update id, reply kind, entry, rule and latency; user text only on request."""
    latency = time.perf_counter() - started
    fields = {
        "update": update.update_id,
        "kind": outcome.kind,
        "entry": outcome.entry_id or "-",
        "rule": outcome.rule or "-",
        "latency_ms": round(latency * 1000),
    }
    UPDATES.info("update=%s kind=%s entry=%s rule=%s latency_ms=%s", *fields.values(), extra=fields)
    count(update, outcome, latency)
    if with_text:
        UPDATES.debug("update=%s text=%r", update.update_id, user_text(update))


def count(update: Update, outcome: Outcome, latency: float) -> None:
    """Count the update by type and, unless ignored, its reply by kind and rule."""
    metrics.UPDATES.labels(type=update_type(update)).inc()
    if outcome is not IGNORED:
        metrics.REPLIES.labels(kind=outcome.kind, rule=outcome.rule or "-").inc()
        metrics.REPLY_LATENCY.observe(latency)


def update_type(update: Update) -> str:
    """Return the kind of update (message, callback_query, ...), a closed set of names."""
    for name in ALL_TYPES:
        if getattr(update, name, None) is not None:
            return name
    return "other"


def user_text(update: Update) -> str | None:
    """Return what the user wrote or tapped (for debug logging only)."""
    if update.inline_query is not None:
        return update.inline_query.query
    if update.callback_query is not None:
        return update.callback_query.data
    message = update.effective_message
    return None if message is None else message.text
