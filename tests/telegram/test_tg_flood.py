"""The per-user flood limit: with a clock the test controls, then end to end."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from bot.config import Settings, load_settings
from bot.core import Responder
from bot.state.flood import FloodGuard, Verdict
from bot.testing.constants import TOKEN
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.harness import bot_running


def test_a_user_over_the_limit_is_warned_once_then_dropped() -> None:
    """3 per 10 s: the 4th message gets the warning, the 5th and 6th are dropped."""
    guard = FloodGuard(max_messages=3, window=10)

    verdicts = [guard.check(1, now=0.1 * n) for n in range(6)]

    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.WARN, Verdict.DROP, Verdict.DROP]


def test_the_user_is_served_again_once_the_window_has_passed() -> None:
    """Dropped messages do not count: after the window, the user is back, and warnable."""
    guard = FloodGuard(max_messages=2, window=10)
    for n in range(4):
        guard.check(1, now=n)

    assert guard.check(1, now=10.5) is Verdict.ALLOW
    assert guard.check(1, now=11.5) is Verdict.ALLOW
    assert guard.check(1, now=11.6) is Verdict.WARN


def test_users_are_limited_independently() -> None:
    """One user's flood does not slow anyone else."""
    guard = FloodGuard(max_messages=1, window=10)
    guard.check(1, now=0)

    assert guard.check(1, now=1) is Verdict.WARN
    assert guard.check(2, now=1) is Verdict.ALLOW


def test_idle_users_are_forgotten_when_many_are_tracked() -> None:
    """Memory stays bounded: users idle past the window are pruned."""
    guard = FloodGuard(max_messages=1, window=1)
    for user in range(10_000):
        guard.check(user, now=0)

    guard.check(99_999, now=5)

    assert guard.check(0, now=5) is Verdict.ALLOW
    assert len(guard._senders) == 2


def flood_settings(fake: FakeBotApi, window: str) -> Settings:
    """Return settings pointing at the fake: 8 messages per `window` seconds."""
    environ = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": fake.base_url,
        "FLOOD_MAX_MESSAGES": "8",
        "FLOOD_WINDOW_SECONDS": window,
    }
    return load_settings(environ, None)


async def test_dozens_of_messages_at_once_get_eight_answers_and_one_notice(
    fake: FakeBotApi, responder: Responder, caplog: pytest.LogCaptureFixture
) -> None:
    """40 messages in one burst: 8 answered, one "slow down", 31 dropped; B is served."""
    settings = flood_settings(fake, "60")
    async with bot_running(fake, settings, responder, caplog) as bot:
        flood, other = [], []
        for n in range(40):
            flood.append(fake.send_text(f"what is leaky gut {n}", chat_id=61, user_id=61))
            if n % 8 == 0:
                other.append(fake.send_text("what is leaky gut", chat_id=62, user_id=62))
        kinds = Counter(line["kind"] for line in await bot.outcomes(flood))
        others = [line["kind"] for line in await bot.outcomes(other)]

    assert kinds["flood_warn"] == 1
    assert kinds["flood_drop"] == 31
    assert sum(kinds.values()) - kinds["flood_warn"] - kinds["flood_drop"] == 8
    assert len(fake.delivered_to("sendMessage", chat_id=61)) == 9
    assert fake.delivered_to("sendMessage", chat_id=61, text=responder.kb.texts.slow_down)
    assert "flood_drop" not in others
    assert len(fake.delivered_to("sendMessage", chat_id=62)) == len(other)


async def test_a_flooding_user_is_served_again_once_the_window_has_passed(
    fake: FakeBotApi, responder: Responder, caplog: pytest.LogCaptureFixture
) -> None:
    """FLOOD_WINDOW_SECONDS=1: after a burst and a second of quiet, the user is answered."""
    async with bot_running(fake, flood_settings(fake, "1"), responder, caplog) as bot:
        burst = [
            fake.send_text(f"what is leaky gut {n}", chat_id=63, user_id=63) for n in range(20)
        ]
        await bot.outcomes(burst)
        await asyncio.sleep(1.2)  # longer than the window, counted from the last accepted message
        again = await bot.ask("what is leaky gut", chat_id=63, user_id=63)

    assert again.outcome["kind"] not in {"flood_warn", "flood_drop"}
    assert again.pages
