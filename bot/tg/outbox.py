"""Everything the bot says goes out through here: pages of HTML, buttons, edits.

One place to change how sending behaves: quoting, retries, errors it can ignore.

What is promised (docs/reliability.md has the measurements). The Bot API has no
idempotency key, so a page is sent again only when the failure proves Telegram did not
act on it: Telegram answered with an error status (5xx), or the request never fully left
(connection refused, connect, pool or write timeout). When the request went out and the
answer was lost (read timeout, connection dropped before the answer), Telegram may well
have delivered the page; a second copy could not be taken back, so it is logged as
"delivery unknown" and not sent again. 429s are retried by the rate limiter (app.py) after
Telegram's retry_after. Edits are idempotent, so they are retried after any transient
failure. HTML that Telegram refuses (400 "can't parse entities") is sent again as plain text.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from telegram import InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError

from bot import metrics
from bot.tg.faults import describe
from bot.tg.outcome import current_update

logger = logging.getLogger(__name__)
# httpx failures that prove the request never reached the Bot API in full.
_NEVER_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
)
Attempt = Callable[[str, str | None], Awaitable[object]]  # (text, parse mode) -> sent
PlainText = Callable[[str], str]  # a page's HTML -> the same text without markup


@dataclass(frozen=True, slots=True)
class Delivery:
    """How sends are paced, timed out and retried; tests shrink the waits."""

    attempts: int = 3  # tries per page when each failure proves the page was not sent
    backoff: float = 0.5  # seconds before the second try, doubled before each next one
    timeout: float = 5.0  # seconds per Bot API call (connect, send, answer): PTB's default
    messages_per_second: float = 30  # over all chats: Telegram's limit for bots

    def pause(self, attempt: int) -> float:
        """Return how long to wait after failed attempt number `attempt` (1-based)."""
        return float(self.backoff * 2 ** (attempt - 1))


def never_sent(error: NetworkError) -> bool:
    """Say whether a failure proves Telegram did not act on the request."""
    cause = error.__cause__
    if type(error) is NetworkError and (cause is None or isinstance(cause, TelegramError)):
        # An error status from the server (5xx), its body JSON or not (an nginx page).
        return True
    return isinstance(cause, _NEVER_SENT)


def _reply_to(
    message: Message, markup: InlineKeyboardMarkup | None, do_quote: bool | None
) -> Attempt:
    async def attempt(text: str, parse_mode: str | None) -> object:
        return await message.reply_text(
            text, parse_mode=parse_mode, reply_markup=markup, do_quote=do_quote
        )

    return attempt


class Outbox:
    """Send and edit messages with the delivery policy above."""

    def __init__(self, plain_text: PlainText, delivery: Delivery | None = None) -> None:
        self.plain_text = plain_text  # rendering stays in render.py; this only delivers
        self.delivery = delivery or Delivery()

    async def send(
        self,
        message: Message,
        pages: list[str],
        keyboard: InlineKeyboardMarkup | None = None,
        quote: bool = True,
        as_reply: bool = False,
    ) -> None:
        """Send HTML pages in reply to message; the keyboard goes under the last page.

        as_reply: every page is a reply to message, in private chats too (a button under it
        can then read the message: bot/tg/feedback.py).
        """
        for number, page in enumerate(pages, start=1):
            markup = keyboard if number == len(pages) else None
            do_quote = None if quote and number == 1 else False  # None: PTB's default per chat
            do_quote = True if as_reply else do_quote
            attempt = _reply_to(message, markup, do_quote)
            await self._deliver(attempt, page, f"page {number}/{len(pages)}", idempotent=False)

    async def edit(self, message: Message, text: str, keyboard: InlineKeyboardMarkup) -> None:
        """Replace a bot message's text and buttons; tapping the same button twice is fine."""

        async def attempt(html: str, parse_mode: str | None) -> object:
            try:
                return await message.edit_text(html, parse_mode=parse_mode, reply_markup=keyboard)
            except BadRequest as error:
                if "not modified" not in error.message.lower():
                    raise
                return True

        await self._deliver(attempt, text, "edit", idempotent=True)

    async def _deliver(self, attempt: Attempt, page: str, what: str, idempotent: bool) -> None:
        """Run attempts at one page until it is sent, refused, or its fate is unknown."""
        where = f"update={current_update()} {what}"
        text, tries = page, 1
        parse_mode: str | None = ParseMode.HTML
        while True:
            try:
                await attempt(text, parse_mode)
                return
            except BadRequest as error:
                if parse_mode is None or "can't parse entities" not in error.message.lower():
                    raise
                logger.warning("%s: Telegram refused the HTML; sending it as plain text", where)
                text, parse_mode = self.plain_text(page), None
            except NetworkError as error:
                if not (idempotent or never_sent(error)):
                    metrics.DELIVERIES_UNKNOWN.inc()
                    logger.warning(
                        "%s: delivery unknown after %s; not resent (a second copy could not "
                        "be taken back)",
                        where,
                        describe(error),
                    )
                    return
                if tries >= self.delivery.attempts:
                    raise
                pause = self.delivery.pause(tries)
                logger.info("%s: %s, retrying in %.2f s", where, describe(error), pause)
                await asyncio.sleep(pause)
                tries += 1
