"""Who a message is meant for: in groups the bot answers only what is addressed to it."""

from __future__ import annotations

import re

from telegram import Message, MessageEntity
from telegram.ext import filters


class AddressedToBot(filters.MessageFilter):
    """Match a group message that replies to the bot or mentions it."""

    def filter(self, message: Message) -> bool:
        """Say whether the message replies to or mentions this bot."""
        bot = message.get_bot()
        original = message.reply_to_message
        author = None if original is None else original.from_user
        if author is not None and author.id == bot.id:
            return True
        kinds: list[str | None] = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
        for entity, text in message.parse_entities(kinds).items():
            if entity.user is not None and entity.user.id == bot.id:
                return True
            if text.lower() == f"@{bot.username}".lower():
                return True
        return False


ADDRESSED_TO_BOT = AddressedToBot(name="AddressedToBot")


def question_of(message: Message) -> str:
    """Return the message text without mentions of this bot."""
    mention = re.compile(rf"@{re.escape(message.get_bot().username)}\b", re.IGNORECASE)
    return mention.sub(" ", message.text or "").strip()
