"""What the fake Bot API records (`Call`) and what it can do instead of answering (`Fault`)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Call:
    """One request the bot made: the method and its decoded parameters."""

    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        """Return the `text` parameter (sendMessage, editMessageText)."""
        return str(self.params.get("text", ""))

    @property
    def chat_id(self) -> int | None:
        """Return the chat the call targets, as an int."""
        raw = self.params.get("chat_id")
        return None if raw is None else int(raw)

    def buttons(self) -> list[tuple[str, str]]:
        """Return the inline keyboard as (text, callback_data) pairs, row by row."""
        markup = self.params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


@dataclass(frozen=True)
class Fault:
    """What to do instead of answering normally.

    `status` None means "answer normally" (after `delay`); `drop` closes the connection
    without a reply.
    """

    status: int | None = 500
    description: str = "Internal Server Error"
    retry_after: int | None = None
    delay: float = 0.0
    drop: bool = False

    @classmethod
    def too_many_requests(cls, retry_after: int = 1) -> Fault:
        """429 as Telegram sends it when flood control triggers."""
        return cls(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    @classmethod
    def server_error(cls, status: int = 502) -> Fault:
        """A 5xx from Telegram's front end."""
        return cls(status, "Bad Gateway" if status == 502 else "Internal Server Error")

    @classmethod
    def blocked(cls) -> Fault:
        """403: the user blocked the bot."""
        return cls(403, "Forbidden: bot was blocked by the user")

    @classmethod
    def cant_parse_entities(cls) -> Fault:
        """400: the HTML did not parse."""
        return cls(400, "Bad Request: can't parse entities: unsupported start tag at byte 3")

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """Answer normally, but only after `seconds`."""
        return cls(status=None, delay=seconds)

    @classmethod
    def dropped(cls) -> Fault:
        """Close the connection without answering."""
        return cls(status=None, drop=True)
