"""What the fake Bot API records (`Call`) and what it can do instead of answering (`Fault`).

`Chaos` fails a share of the calls to one method at random, for the long fault runs.
"""

from __future__ import annotations

import html
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any

_TAG = re.compile(r"<[^>]*>")


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
    retry_after: float | None = None
    delay: float = 0.0
    drop: bool = False
    page: str | None = None  # an HTML body instead of Telegram's JSON (a proxy's error page)

    @property
    def label(self) -> str:
        """Return what kind of fault this is, for the figures."""
        if self.drop:
            return "dropped connection"
        if self.status is None:
            return "slow past timeout"
        return {
            429: "429 retry_after",
            403: "403 blocked",
            400: "400 can't parse entities",
        }.get(self.status, str(self.status))

    @classmethod
    def too_many_requests(cls, retry_after: float = 1) -> Fault:
        """429 as Telegram sends it when flood control triggers (tests may use < 1 s)."""
        return cls(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    @classmethod
    def server_error(cls, status: int = 502) -> Fault:
        """A 5xx from Telegram's front end."""
        return cls(status, "Bad Gateway" if status == 502 else "Internal Server Error")

    @classmethod
    def proxy_page(cls, status: int = 502, marker: str = "") -> Fault:
        """A 5xx whose body is an HTML page, as nginx or a load balancer answers."""
        page = f"<html><body><h1>{status} Bad Gateway</h1><p>{marker}</p></body></html>"
        return cls(status, "Bad Gateway", page=page)

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


@dataclass
class Chaos:
    """Fail `rate` of the calls to a method with one of `faults`, at random but seeded.

    A request that failed once (the same chat and text, whether sent as HTML or as plain
    text; for getUpdates the same offset) then goes through: faults are transient, as on
    the real network, and a run's outcome does not hang on three bad draws in a row.
    `limit` caps how many faults are served in all.
    """

    rate: float
    faults: tuple[Fault, ...]
    seed: int = 0
    limit: int | None = None
    served: int = 0
    _random: random.Random = field(init=False, repr=False)
    _failed: set[str] = field(default_factory=set, init=False, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def pick(self, params: dict[str, Any]) -> Fault | None:
        """Return the fault for this call, or None to answer it normally."""
        key = request_key(params)
        if key in self._failed or (self.limit is not None and self.served >= self.limit):
            return None
        if self._random.random() >= self.rate:
            return None
        self._failed.add(key)
        self.served += 1
        return self._random.choice(self.faults)


def request_key(params: dict[str, Any]) -> str:
    """Return what identifies a request across retries: chat and words, or the offset."""
    if "text" in params:
        words = html.unescape(_TAG.sub("", str(params["text"])))
        return f"{params.get('chat_id')}|{words}"
    return f"offset={params.get('offset', 0)}"
