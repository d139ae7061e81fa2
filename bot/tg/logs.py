"""Logging: one line per update, no user text by default, and the token masked everywhere."""

from __future__ import annotations

import functools
import logging
import re
import sys
import time
import traceback
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.error import Forbidden

from bot.core.model import Reply
from bot.tg.context import BotContext

UPDATES = logging.getLogger("bot.tg.updates")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "***"
# Anything shaped like a bot token (also with the colon URL-encoded), whoever logs it.
TOKEN_SHAPE = re.compile(r"\d{3,}(?::|%3A)[A-Za-z0-9_-]{30,}", re.IGNORECASE)
# These log request URLs, which contain the token, at INFO.
_NOISY = ("httpx", "httpcore")
# PTB logs the raw data it could not parse (an update, with what the user wrote) at
# CRITICAL or ERROR, from these loggers, with these words in the message template.
_PAYLOAD_LOGGERS = (
    "telegram.Bot",
    "telegram.ext.ExtBot",  # the Bot the Application uses
    "telegram.ext.Updater",  # polling, and the webhook handler
    "telegram.request.BaseRequest",
)
_PAYLOAD_TEMPLATES = re.compile(r"Received data was|Can not load invalid JSON data")
_PLACEHOLDER = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[rsdaf]")
WITHHELD = "<withheld: may hold user text>"
# The update being handled, so lines logged deep inside a handler name it.
_CURRENT_UPDATE: ContextVar[int | None] = ContextVar("current_update", default=None)


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
UNREACHABLE = Outcome("unreachable")  # the user blocked the bot, or it was removed
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


class WithholdPayloads(logging.Filter):
    """Drop the raw data from PTB's "could not parse this" lines: it holds user text."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the data in a payload dump with a placeholder; always keep the record."""
        template = str(record.msg)
        if _PAYLOAD_TEMPLATES.search(template):
            record.msg, record.args = _PLACEHOLDER.sub(WITHHELD, template), None
        return True


def setup_logging(level: str, secrets: Iterable[str | None] = ()) -> logging.Handler:
    """Log to stderr at level, secrets masked, library loggers guarded."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter(secrets))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    guard_library_logs()
    return handler


def guard_library_logs() -> None:
    """Quiet the HTTP client (it logs token URLs at INFO); withhold PTB's payload dumps."""
    for name in _NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in _PAYLOAD_LOGGERS:
        library = logging.getLogger(name)
        if not any(isinstance(f, WithholdPayloads) for f in library.filters):
            library.addFilter(WithholdPayloads())


def scrubbed_traceback(error: BaseException) -> str:
    """Return the traceback of error and its causes with every exception message withheld.

    Messages can quote what the user wrote (a KeyError on a word of the question); the
    frames and exception types are enough to find the bug.
    """
    blocks: list[str] = []
    current: BaseException | None = error
    while current is not None and len(blocks) < 10:
        frames = "".join(traceback.format_list(traceback.extract_tb(current.__traceback__)))
        name = type(current).__qualname__
        blocks.append(f"Traceback (most recent call last):\n{frames}{name}: <message withheld>")
        context = None if current.__suppress_context__ else current.__context__
        current = current.__cause__ or context
    return "\n\nwhile handling the above, this happened:\n\n".join(reversed(blocks))


def current_update() -> str:
    """Return the id of the update being handled here, or "-"."""
    update_id = _CURRENT_UPDATE.get()
    return "-" if update_id is None else str(update_id)


def logged(handler: Handler) -> Callback:
    """Wrap a handler so that each update it handles gets exactly one log line."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: BotContext) -> None:
        started = time.perf_counter()
        outcome = Outcome("error")
        handling = _CURRENT_UPDATE.set(update.update_id)
        try:
            outcome = await handler(update, context)
        except Forbidden:
            outcome = UNREACHABLE
            raise
        finally:
            _CURRENT_UPDATE.reset(handling)
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
