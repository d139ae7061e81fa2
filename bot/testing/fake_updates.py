"""Builders for well-formed Bot API objects, as the fake server hands them to the bot.

Every object carries the fields PTB requires (a malformed update makes polling re-fetch
the same batch forever), so tests only say what matters to them.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

USER_ID = 42
GROUP_ID = -100_123
DATE = 1_700_000_000
_message_ids = itertools.count(1)
_query_ids = itertools.count(1)
_MENTION = re.compile(r"@\w+")


def bot_user(bot_id: int, username: str) -> dict[str, Any]:
    """Return the bot's own User object (getMe)."""
    return {"id": bot_id, "is_bot": True, "first_name": "Glutamine", "username": username}


def user(user_id: int = USER_ID) -> dict[str, Any]:
    """Return a human User object."""
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": "en"}


def chat(chat_id: int) -> dict[str, Any]:
    """Return a private chat for positive ids, a supergroup for negative ones."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
    return {"id": chat_id, "type": "supergroup", "title": "Gut health group"}


def entities(text: str) -> list[dict[str, Any]]:
    """Return the entities Telegram would mark: a leading command and @mentions."""
    found: list[dict[str, Any]] = []
    if text.startswith("/"):
        length = len(text.split(maxsplit=1)[0])
        found.append({"type": "bot_command", "offset": 0, "length": length})
    for match in _MENTION.finditer(text):
        if match.start() > 0 or not text.startswith("/"):
            # Offsets are in UTF-16 code units, as Telegram counts them.
            offset = len(text[: match.start()].encode("utf-16-le")) // 2
            found.append({"type": "mention", "offset": offset, "length": len(match.group())})
    return found


def message(
    text: str | None = None,
    *,
    chat_id: int = USER_ID,
    user_id: int = USER_ID,
    reply_to: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Return a Message from a user; `extra` adds e.g. a sticker instead of text."""
    result: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": DATE,
        "chat": chat(chat_id),
        "from": user(user_id),
        **extra,
    }
    if text is not None:
        result["text"] = text
        if marks := entities(text):
            result["entities"] = marks
    if reply_to is not None:
        result["reply_to_message"] = reply_to
    return result


def bot_message(bot: dict[str, Any], text: str, chat_id: int = USER_ID) -> dict[str, Any]:
    """Return a Message the bot sent earlier (to reply to, or to carry a keyboard)."""
    return {
        "message_id": next(_message_ids),
        "date": DATE,
        "chat": chat(chat_id),
        "from": bot,
        "text": text,
    }


def sticker() -> dict[str, Any]:
    """Return the `sticker` field of a sticker message."""
    return {
        "file_id": "CAACAgIAAxkBAAEB",
        "file_unique_id": "AgADBAAD",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }


def callback_query(
    data: str, bot: dict[str, Any], chat_id: int = USER_ID, user_id: int = USER_ID
) -> dict[str, Any]:
    """Return a CallbackQuery: a user tapped a button under a bot message."""
    return {
        "id": str(next(_query_ids)),
        "from": user(user_id),
        "chat_instance": "-6000",
        "message": bot_message(bot, "Pick a question", chat_id),
        "data": data,
    }


def inline_query(query: str, user_id: int = USER_ID) -> dict[str, Any]:
    """Return an InlineQuery: a user typed `@bot query` in some chat."""
    return {"id": str(next(_query_ids)), "from": user(user_id), "query": query, "offset": ""}
