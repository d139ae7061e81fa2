"""A harness to talk to the real bot through the fake Bot API, one update at a time."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from bot.config import Settings
from bot.state.setup import SharedState
from bot.storage.feedback import Feedback
from bot.testing import fake_updates
from bot.testing.constants import FAST
from bot.testing.fake_bot_api import Call, FakeBotApi
from bot.testing.html_checks import plain_text
from bot.tg.app import ALLOWED_UPDATES, build_application
from bot.tg.context import BotApplication, Core
from bot.tg.outbox import Delivery
from bot.tg.polling import PollPolicy, serve_polling
from bot.tg.running import poll_watcher

_LINE = re.compile(r"^update=(\d+) (.*)$")


@dataclass(frozen=True)
class Exchange:
    """One update sent to the bot, what it logged, and every Bot API call it made."""

    update_id: int
    outcome: dict[str, str]
    calls: list[Call]

    def made(self, method: str) -> list[Call]:
        """Return the calls to one method."""
        return [call for call in self.calls if call.method == method]

    @property
    def pages(self) -> list[str]:
        """Return the HTML of each message sent, in order."""
        return [call.text for call in self.made("sendMessage")]

    @property
    def text(self) -> str:
        """Return everything sent as plain text, as the user reads it."""
        return "\n\n".join(plain_text(page) for page in self.pages)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """Return the buttons under the last message sent or edited."""
        shown = [c for c in self.calls if c.method in {"sendMessage", "editMessageText"}]
        return shown[-1].buttons() if shown else []


class LogRecords(Protocol):
    """Where the harness reads log lines: pytest's caplog, or traffic.Recorder."""

    @property
    def records(self) -> list[logging.LogRecord]:
        """Return the records logged so far."""
        ...


class LogCapture(LogRecords, Protocol):
    """Log records that can also be told what to capture: pytest's caplog."""

    def set_level(self, level: int | str, logger: str | None = None) -> None:
        """Capture records at level and above from logger."""
        ...


class Harness:
    """Talk to the running bot through the fake server, one update at a time."""

    def __init__(self, fake: FakeBotApi, caplog: LogRecords, application: BotApplication) -> None:
        self.fake = fake
        self.caplog = caplog
        self.application = application
        self.bot_user = fake_updates.bot_user(fake.bot_id, fake.username)

    async def send(self, update: dict[str, Any]) -> Exchange:
        """Push an update, wait until the bot has logged it, return what it did."""
        before = len(self.fake.calls)
        update_id = self.fake.push(update)
        outcome = await self.outcome(update_id)
        return Exchange(update_id, outcome, self.fake.calls[before:])

    async def ask(self, text: str | None = None, **kwargs: Any) -> Exchange:
        """Send a message (text, or e.g. `sticker=...`) from a user."""
        return await self.send({"message": fake_updates.message(text, **kwargs)})

    async def tap(self, data: str, **kwargs: Any) -> Exchange:
        """Tap a button carrying `data` under a bot message."""
        query = fake_updates.callback_query(data, self.bot_user, **kwargs)
        return await self.send({"callback_query": query})

    async def inline(self, query: str) -> Exchange:
        """Type `@bot query` in some chat."""
        return await self.send({"inline_query": fake_updates.inline_query(query)})

    async def outcome(self, update_id: int, seconds: float = 5.0) -> dict[str, str]:
        """Poll the log for the update's line and return its fields."""
        deadline = time.monotonic() + seconds
        while (line := self.log_line(update_id)) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"update {update_id} was never logged")
            await asyncio.sleep(0.005)
        return dict(field.split("=", 1) for field in line.split())

    async def send_many(
        self, updates: list[dict[str, Any]], chunk: int = 50
    ) -> list[dict[str, str]]:
        """Push updates a chunk at a time (hundreds of requests at once make httpx's pool
        slow, quadratically), wait for each chunk's log lines, and return them all."""
        logged = []
        for start in range(0, len(updates), chunk):
            ids = [self.fake.push(update) for update in updates[start : start + chunk]]
            logged += await self.outcomes(ids)
        return logged

    async def outcomes(self, update_ids: list[int], seconds: float = 60.0) -> list[dict[str, str]]:
        """Poll the log until every update has its line; return their fields, in order."""
        deadline = time.monotonic() + seconds
        while True:
            lines = {}
            for record in self.caplog.records:
                match = _LINE.match(record.getMessage())
                if record.name == "bot.tg.updates" and match:
                    lines[int(match[1])] = match[2]
            if all(update_id in lines for update_id in update_ids):
                return [dict(f.split("=", 1) for f in lines[i].split()) for i in update_ids]
            if time.monotonic() > deadline:
                missing = [i for i in update_ids if i not in lines]
                raise AssertionError(f"{len(missing)} updates never logged, e.g. {missing[0]}")
            await asyncio.sleep(0.05)

    def log_line(self, update_id: int) -> str | None:
        """Return the fields of the one-per-update log line, if it was written yet."""
        for record in self.caplog.records:
            match = _LINE.match(record.getMessage())
            if record.name == "bot.tg.updates" and match and int(match[1]) == update_id:
                return match[2]
        return None


@asynccontextmanager
async def polling(
    application: BotApplication,
    long_poll: int = 10,
    policy: PollPolicy | None = None,
    call_timeout: float = FAST.timeout,
) -> AsyncIterator[BotApplication]:
    """Run the application as `python -m bot run` does (post_init included), on this loop.

    getUpdates waits `call_timeout` seconds beyond its long poll, as every other call does.
    """
    policy = policy or PollPolicy(long_poll=long_poll, timeout=call_timeout)
    stop = asyncio.Event()
    health = application.bot_data.health
    polled, fault = health.polled, poll_watcher(health)
    serving = asyncio.create_task(
        serve_polling(
            application, ALLOWED_UPDATES, stop.wait(), policy, on_polled=polled, on_fault=fault
        )
    )
    deadline = time.monotonic() + 30
    while not application.running and not serving.done():
        assert time.monotonic() < deadline, "the application never started"
        await asyncio.sleep(0.005)
    try:
        yield application
    finally:
        stop.set()
        await serving


@asynccontextmanager
async def bot_running(
    fake: FakeBotApi,
    settings: Settings,
    core: Core,
    caplog: LogCapture,
    *,
    delivery: Delivery = FAST,
    long_poll: int = 10,
    state: SharedState | None = None,
    feedback: Feedback | None = None,
) -> AsyncIterator[Harness]:
    """Run the real bot against the fake server and return a harness to talk to it."""
    caplog.set_level(logging.INFO, logger="bot")
    application = build_application(settings, core, delivery, state, feedback)
    async with polling(application, long_poll, call_timeout=delivery.timeout) as running:
        yield Harness(fake, caplog, running)
