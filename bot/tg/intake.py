"""Raw update JSON in, PTB `Update`s out, one update at a time.

PTB reads a whole getUpdates batch at once, so one update it cannot read (a `date` given
as a string, entities as an object, no `update_id`) fails the batch, and polling fetches
the same batch again forever. Read one by one, such an update is a `Poison`: logged once
with its id and why (never its content) and skipped, so the updates behind it are answered.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from telegram import Bot, Update

logger = logging.getLogger(__name__)
# The update types the bot asks for; an update carries one of them (or something newer).
_KINDS = ("message", "edited_message", "callback_query", "inline_query")


@dataclass(frozen=True, slots=True)
class Poison:
    """An update PTB cannot read: its id, if it has a usable one, and why it was refused."""

    update_id: int | None
    why: str


def update_id_of(raw: object) -> int | None:
    """Return the update's id if it is a proper integer, else None."""
    if not isinstance(raw, dict):
        return None
    value = raw.get("update_id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_update(raw: object, bot: Bot) -> Update | Poison:
    """Return the Update PTB makes of raw, or a Poison saying why it cannot."""
    if not isinstance(raw, dict):
        return Poison(None, f"not an object but {type(raw).__name__}")
    update_id = update_id_of(raw)
    if update_id is None:
        return Poison(_digits(raw.get("update_id")), _bad_id(raw.get("update_id")))
    try:
        update = Update.de_json(raw, bot)
    except Exception as error:  # any failure to read is the sender's fault; name it only
        return Poison(update_id, f"PTB cannot read its {_kind(raw)} ({type(error).__name__})")
    if update is None:
        return Poison(update_id, "empty")
    return update


def log_poison(poison: Poison) -> None:
    """Log a skipped update once: its id and why, never what it contains."""
    shown = "?" if poison.update_id is None else str(poison.update_id)
    logger.warning("update=%s skipped: %s", shown, poison.why)


def _bad_id(value: Any) -> str:
    if value is None:
        return "it has no update_id"
    return f"its update_id is a {type(value).__name__}, not an integer"


def _digits(value: Any) -> int | None:
    """Return an update_id sent as a string of digits as a number (to confirm past it)."""
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def _kind(raw: dict[str, Any]) -> str:
    return next((kind for kind in _KINDS if kind in raw), "content")
