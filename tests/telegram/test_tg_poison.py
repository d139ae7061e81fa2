"""Updates PTB cannot read are logged once (id and why, no content) and skipped past."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import pytest

from bot.testing import fake_updates
from bot.testing.harness import Harness
from bot.tg.window import Window

MARKER = "okapi-5521"  # in every poison update: it must not reach the logs


def _message(**fields: Any) -> dict[str, Any]:
    return {**fake_updates.message(f"what is leaky gut {MARKER}"), **fields}


# Each builds the raw payload from the id the fake server holds it under.
POISONS: dict[str, Callable[[int], Any]] = {
    "a date given as a string": lambda i: {"update_id": i, "message": _message(date="yesterday")},
    "entities given as an object": lambda i: {
        "update_id": i,
        "message": _message(entities={"type": "bold", "offset": 0, "length": 4}),
    },
    "no update_id": lambda i: {"message": _message()},
    "the update_id as a string": lambda i: {"update_id": str(i), "message": _message()},
    "not an object at all": lambda i: [MARKER],
}


async def until(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    """Poll until condition holds; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        await asyncio.sleep(0.01)


@pytest.mark.parametrize("poison", POISONS)
async def test_an_unreadable_update_is_logged_once_and_the_ones_behind_it_are_answered(
    bot: Harness, caplog: pytest.LogCaptureFixture, poison: str
) -> None:
    """Good, poison, good, good: three answers, one line naming the poison, nothing stuck."""
    caplog.set_level(logging.INFO)
    first = await bot.ask("what is leaky gut", chat_id=71, user_id=71)
    held_as = bot.fake.push_raw(POISONS[poison])
    behind = [
        bot.fake.send_text("what is leaky gut", chat_id=user, user_id=user) for user in (72, 73)
    ]

    outcomes = await bot.outcomes(behind, seconds=20)
    await until(lambda: bot.fake.pending_updates() == 0)

    assert first.outcome["kind"] == "answer"
    assert [outcome["kind"] for outcome in outcomes] == ["answer", "answer"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "skipped" in warnings[0]
    if poison != "not an object at all":
        assert f"update={held_as} " in warnings[0]
    assert MARKER not in caplog.text


def test_an_update_without_an_id_takes_the_id_after_the_one_before_it() -> None:
    """Telegram numbers updates one after another, so a neighbour tells the missing id."""
    window = Window()

    assert window.ids([{"update_id": 7}, {}, {"update_id": 9}]) == [7, 8, 9]
    assert window.ids([{}, {"update_id": "x"}, {"update_id": 12}]) == [10, 11, 12]
    assert window.ids([{}]) == [None]
    window.add(20)
    assert window.ids([{}, {"update_id": 22}]) == [21, 22]
