"""Open the feedback storage the settings ask for (the composition root calls this)."""

from __future__ import annotations

import logging

from bot.config import Settings, SettingsError
from bot.state.health import Health
from bot.storage.database import database_url, describe, open_engine
from bot.storage.feedback import Feedback
from bot.storage.people import People, key_from_file
from bot.storage.store import Store
from bot.storage.writer import Writer

logger = logging.getLogger(__name__)


def open_feedback(settings: Settings) -> Feedback | None:
    """Return the started feedback service, or None when FEEDBACK is off."""
    if not settings.feedback:
        return None
    url = database_url(settings.database_url, settings.state_dir)
    try:
        if settings.feedback_secret is not None:
            key = settings.feedback_secret.encode()
        else:
            key = key_from_file(settings.state_dir)
        engine = open_engine(url)
    except OSError as error:
        raise SettingsError(
            f"cannot use the state folder {settings.state_dir} ({type(error).__name__}): "
            "set STATE_DIR to a writable folder, or FEEDBACK=false"
        ) from None
    health = Health("database", "votes and questions for the authors are dropped")
    feedback = Feedback(Writer(Store(engine), health), People(key), settings.misses_retention_days)
    feedback.start()
    logger.info("feedback is stored in %s", describe(url))
    return feedback
