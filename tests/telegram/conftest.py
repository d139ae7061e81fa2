"""Fixtures for the Telegram end-to-end tests: a fake Bot API and the real Application.

The Application comes from `build_application`, the same function production uses,
pointed at the fake server through TELEGRAM_BASE_URL. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from bot.config import Settings, load_settings
from bot.core import Responder, load_knowledge_base
from bot.testing.constants import TOKEN
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.harness import Harness, bot_running


@pytest.fixture(scope="session")
def responder() -> Responder:
    """Return the real core over the real content, loaded once."""
    return Responder(load_knowledge_base())


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    """Run a fake Bot API server on 127.0.0.1 for one test."""
    with FakeBotApi(TOKEN) as api:
        yield api


@pytest.fixture
def settings(fake: FakeBotApi) -> Settings:
    """Return settings that point the bot at the fake server."""
    return load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": fake.base_url}, None)


@pytest.fixture
async def bot(
    fake: FakeBotApi, settings: Settings, responder: Responder, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Harness]:
    """Run the real bot over the real core; the harness sends updates and reads replies."""
    async with bot_running(fake, settings, responder, caplog) as harness:
        yield harness
