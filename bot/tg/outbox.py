"""Everything the bot says goes out through here: pages of HTML, buttons, edits.

One place to change how sending behaves (quoting, retries, errors it can ignore).
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from bot.core.model import Reply
from bot.tg.keyboards import reply_keyboard
from bot.tg.logs import Outcome
from bot.tg.render import render_reply


async def send(
    message: Message,
    pages: list[str],
    keyboard: InlineKeyboardMarkup | None = None,
    quote: bool = True,
) -> None:
    """Send HTML pages in reply to message; the keyboard goes under the last page."""
    for number, page in enumerate(pages, start=1):
        await message.reply_text(
            page,
            reply_markup=keyboard if number == len(pages) else None,
            do_quote=None if quote and number == 1 else False,  # None: PTB's default per chat
        )


async def send_reply(message: Message, reply: Reply, quote: bool = True) -> Outcome:
    """Send a core reply with its buttons."""
    await send(message, render_reply(reply), reply_keyboard(reply), quote)
    return Outcome.of(reply)


async def edit(message: Message, text: str, keyboard: InlineKeyboardMarkup) -> None:
    """Replace a bot message's text and buttons; tapping the same button twice is fine."""
    try:
        await message.edit_text(text, reply_markup=keyboard)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise
