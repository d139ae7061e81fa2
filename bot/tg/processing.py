"""Hand one update to the Application, and keep no per-user trace of it that nothing reads.

PTB notes the chat and user of every update it processes for its persistence, and only
a persistence's periodic update ever empties those sets. This bot has no persistence, so
they would grow by two ids per new user for as long as the process lives (python-telegram-
bot 22.8, `Application._mark_for_persistence_update`): forgotten here after each update.
"""

from __future__ import annotations

from telegram import Update

from bot.tg.context import BotApplication

# PTB's sets of ids waiting for a persistence update (private: checked by a test).
_PERSISTENCE_MARKS = (
    "_chat_ids_to_be_updated_in_persistence",
    "_user_ids_to_be_updated_in_persistence",
)


async def process(application: BotApplication, update: Update) -> None:
    """Run the update through the Application's handlers; forget its persistence marks."""
    try:
        await application.process_update(update)
    finally:
        if application.persistence is None:
            for name in _PERSISTENCE_MARKS:
                marks = getattr(application, name, None)
                if isinstance(marks, set):
                    marks.clear()
