"""Logging set-up: no user text by default, and the token masked everywhere."""

from __future__ import annotations

import datetime as dtm
import json
import logging
import re
import sys
import traceback
from collections.abc import Iterable

from bot.tg.repeats import CollapsingHandler

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
_PAYLOAD_TEMPLATES = re.compile(r"Received data was")
_INVALID_JSON = "Can not load invalid JSON data"
_PLACEHOLDER = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[rsdaf]")
WITHHELD = "<withheld: may hold user text>"
_TOKEN_ABORT = "Invalid token. Aborting retry loop."  # noqa: S105 - PTB network loop text
# Structured fields a record may carry (`extra=`) that the JSON format writes as keys.
FIELDS = ("update", "kind", "entry", "rule", "latency_ms")


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
    """Drop the raw data from PTB's "could not parse this" lines: it holds user text.

    PTB's "Can not load invalid JSON data" (a proxy's error page instead of Telegram's
    JSON) is dropped whole, traceback and all: the exception it raises next reaches our
    own code, which logs the failure as one line (`faults.py`).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the data in a payload dump with a placeholder; drop the invalid-JSON one."""
        template = str(record.msg)
        if _INVALID_JSON in template:
            return False
        if _PAYLOAD_TEMPLATES.search(template):
            record.msg, record.args = _PLACEHOLDER.sub(WITHHELD, template), None
            # The decoder's traceback says only "not JSON", and its message can quote bytes.
            record.exc_info, record.exc_text = None, None
        return True


class DropTokenAbort(logging.Filter):
    """Drop PTB's traceback when polling stops on a rejected token: serve.py says it in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record except that one."""
        return _TOKEN_ABORT not in str(record.msg)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the structured fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as one line of JSON (the message is masked by then)."""
        event: dict[str, object] = {
            "time": dtm.datetime.fromtimestamp(record.created, dtm.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        event.update({k: getattr(record, k) for k in FIELDS if hasattr(record, k)})
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            event["traceback"] = record.exc_text
        if record.stack_info:
            event["stack"] = record.stack_info
        return json.dumps(event, ensure_ascii=False, default=str)


def setup_logging(
    level: str, secrets: Iterable[str | None] = (), fmt: str = "text"
) -> logging.Handler:
    """Log to stderr at level, as text or JSON, secrets masked, repeats collapsed."""
    handler = CollapsingHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(FORMAT))
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
    network_loop = logging.getLogger("telegram.ext")
    if not any(isinstance(f, DropTokenAbort) for f in network_loop.filters):
        network_loop.addFilter(DropTokenAbort())


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
