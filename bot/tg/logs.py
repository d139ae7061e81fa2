"""Logging: one line per update, no user text by default, and the token masked everywhere."""

from __future__ import annotations

import functools
import logging
import re
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import Any

from telegram import Update

from bot.core.model import Reply
from bot.tg.context import BotContext

UPDATES = logging.getLogger("bot.tg.updates")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "***"
# Anything shaped like a bot token (also with the colon URL-encoded), whoever logs it.
TOKEN_SHAPE = re.compile(r"\d{3,}(?::|%3A)[A-Za-z0-9_-]{30,}", re.IGNORECASE)
# These log request URLs, which contain the token, at INFO.
_NOISY = ("httpx", "httpcore")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a handler did with an update, for the log line."""

    kind: str
    entry_id: str | None = None

    @classmethod
    def of(cls, reply: Reply) -> Outcome:
        """Return the outcome of sending a core reply."""
        return cls(str(reply.kind), reply.entry_id)


IGNORED = Outcome("ignored")
Handler = Callable[[Update, BotContext], Awaitable[Outcome]]
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


class RedactingFilter(logging.Filter):
    """Mask secrets in every record a handler emits: the last line of defence."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def mask(self, text: str) -> str:
        """Return text with every secret and token-shaped string replaced."""
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return TOKEN_SHAPE.sub(MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message and traceback now, masked; always keep the record."""
        message = record.getMessage()
        record.msg, record.args = self.mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


def setup_logging(level: str, secrets: Iterable[str | None] = ()) -> logging.Handler:
    """Log to stderr at level, secrets masked, HTTP client loggers quieted."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter(secrets))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    quiet_http_client()
    return handler


def quiet_http_client() -> None:
    """Set the HTTP client's loggers to WARNING: at INFO they log URLs with the token."""
    for name in _NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)


def logged(handler: Handler) -> Callback:
    """Wrap a handler so that each update it handles gets exactly one log line."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: BotContext) -> None:
        started = time.perf_counter()
        outcome = Outcome("error")
        try:
            outcome = await handler(update, context)
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
