"""The per-update outcome record: what a handler did with an update, and which update it is.

Imports nothing from the rest of `bot.tg`, so delivery, logging and metrics can all use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from bot.core.model import Reply

# The update being handled, so lines logged deep inside a handler name it.
_CURRENT_UPDATE: ContextVar[int | None] = ContextVar("current_update", default=None)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a handler did with an update, for the log line."""

    kind: str
    entry_id: str | None = None
    rule: str | None = None  # the safety rule that routed the reply, if one did

    @classmethod
    def of(cls, reply: Reply) -> Outcome:
        """Return the outcome of sending a core reply."""
        return cls(str(reply.kind), reply.entry_id, reply.rule)


IGNORED = Outcome("ignored")
UNREACHABLE = Outcome("unreachable")  # the user blocked the bot, or it was removed
ERROR = Outcome("error")


def current_update() -> str:
    """Return the id of the update being handled here, or "-"."""
    update_id = _CURRENT_UPDATE.get()
    return "-" if update_id is None else str(update_id)


@contextmanager
def handling(update_id: int) -> Iterator[None]:
    """Mark update_id as the update being handled for the duration of the block."""
    token = _CURRENT_UPDATE.set(update_id)
    try:
        yield
    finally:
        _CURRENT_UPDATE.reset(token)
