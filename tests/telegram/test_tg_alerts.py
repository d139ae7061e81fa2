"""OPS_CHAT_ID: unexpected errors reach the operators' chat, scrubbed and rate-limited."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.config import Settings, load_settings
from bot.core import Responder
from bot.testing.constants import TOKEN
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.harness import bot_running
from bot.tg.alerts import OpsAlerts
from bot.tg.running import operated
from tests.telegram.test_tg_logs import Leaky

OPS_CHAT = -1001234567890  # an operators' group
MARKER = "axolotl-2291"  # user text: it must never reach the operators' chat


@pytest.fixture
def ops_settings(fake: FakeBotApi) -> Settings:
    """Return settings with OPS_CHAT_ID set."""
    environ = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": fake.base_url,
        "OPS_CHAT_ID": str(OPS_CHAT),
    }
    return load_settings(environ, None)


async def test_an_unexpected_error_is_sent_to_the_ops_chat_once_a_minute_without_user_text(
    fake: FakeBotApi,
    ops_settings: Settings,
    responder: Responder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Two crashes in a row: one alert with the update id and scrubbed frames, one held back."""
    running = bot_running(fake, ops_settings, Leaky(responder), caplog)
    async with running as bot, operated(bot.application, ops_settings, None):
        first = await bot.ask(f"how much glutamine {MARKER}")
        await fake.wait_for("sendMessage", chat_id=OPS_CHAT, seconds=10)
        await bot.ask(f"what is leaky gut {MARKER}")
        await asyncio.sleep(0.2)  # time for a second alert, were it (wrongly) sent
    [alert] = fake.calls_to("sendMessage", chat_id=OPS_CHAT)

    assert f"update={first.update_id} failed: KeyError" in alert.text
    assert "KeyError: <message withheld>" in alert.text
    assert "in reply" in alert.text  # the frame that raised
    assert MARKER not in alert.text
    assert TOKEN.split(":")[1] not in alert.text
    assert "parse_mode" not in alert.params  # plain text: a traceback is not HTML


class Chat:
    """Stands in for the operators' chat: collects alerts, tells when enough arrived."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.arrived = asyncio.Event()
        self.expected = 1

    async def send(self, text: str) -> None:
        self.sent.append(text)
        if len(self.sent) >= self.expected:
            self.arrived.set()

    async def wait_for(self, count: int) -> list[str]:
        self.expected = count
        if len(self.sent) < count:
            await asyncio.wait_for(self.arrived.wait(), timeout=10)
        return self.sent


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_alerts_held_back_are_counted_in_the_next_alert() -> None:
    """Three errors within a minute: one sent; a minute later the next says 2 were held back."""
    chat, clock = Chat(), Clock()
    alerts = OpsAlerts(chat.send, asyncio.get_running_loop(), interval=60, clock=clock)
    log = logging.getLogger("test.alerts")
    log.addHandler(alerts)
    log.propagate = False
    try:
        for n in range(3):
            log.error("update=%d failed: KeyError", n)
        clock.now += 61
        log.error("update=9 failed: ValueError")
        log.warning("a warning is not an alert")
        sent = await chat.wait_for(2)
    finally:
        log.removeHandler(alerts)
        log.propagate = True

    assert [text.splitlines()[0] for text in sent] == [
        "ERROR test.alerts: update=0 failed: KeyError",
        "ERROR test.alerts: update=9 failed: ValueError",
    ]
    assert sent[1].endswith("(2 more errors held back since the previous alert)")


async def test_an_exception_in_an_alert_is_scrubbed_and_a_long_one_keeps_its_first_line() -> None:
    """exc_info is sent as the scrubbed traceback; over 4000 characters the middle goes."""
    chat = Chat()
    alerts = OpsAlerts(chat.send, asyncio.get_running_loop(), interval=0)
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "update=5 boom\n" + "y" * 5000, None, None
    )
    try:
        raise KeyError(MARKER)
    except KeyError as error:
        record.exc_info = (KeyError, error, error.__traceback__)
    alerts.emit(record)
    sent = await chat.wait_for(1)

    assert sent[0].startswith("ERROR x: update=5 boom\n…\n")
    assert sent[0].endswith("KeyError: <message withheld>")
    assert len(sent[0]) <= 4300
    assert MARKER not in sent[0]
