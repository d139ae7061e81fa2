"""Memory: updates from many users leave no trace that nothing reads."""

from __future__ import annotations

from bot.testing.harness import Harness
from bot.tg.processing import _PERSISTENCE_MARKS


async def test_new_users_leave_no_ids_in_ptbs_persistence_marks(bot: Harness) -> None:
    """Without a persistence PTB would keep two ids per new user forever; none are kept."""
    for user in range(500, 530):
        await bot.ask("what is leaky gut", chat_id=user, user_id=user)

    marks = [getattr(bot.application, name) for name in _PERSISTENCE_MARKS]
    assert bot.application.persistence is None
    assert marks == [set(), set()]  # the attributes exist (PTB 22.8) and hold nothing
