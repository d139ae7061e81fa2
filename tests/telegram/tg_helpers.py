"""Helpers for the Telegram tests: a harness to talk to the bot, and HTML checks."""

from __future__ import annotations

import asyncio
import datetime as dtm
import html
import logging
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any, Protocol

import pytest
from telegram.error import TelegramError

from bot.config import Settings
from bot.tg.app import ALLOWED_UPDATES, build_application
from bot.tg.context import BotApplication, Core
from bot.tg.outbox import Delivery
from tests.telegram import fake_updates
from tests.telegram.fake_bot_api import Call, FakeBotApi

# The right shape for a token, and obviously not a real one.
TOKEN = "123456789:TEST-token_0123456789abcdefghijABCDEFGHIJ"  # noqa: S105
SECRET = "webhook-secret_0123456789"  # noqa: S105 - a test value for WEBHOOK_SECRET
# Production's policy with tiny waits and no overall pace (the fake has no flood control).
FAST = Delivery(backoff=0.01, messages_per_second=10_000)
TELEGRAM_TAGS = frozenset({"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"})
_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)")
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


class _TagChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in TELEGRAM_TAGS, f"Telegram does not support <{tag}>"
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open[-1] == tag, f"</{tag}> does not close <{self.open[-1]}>"
        self.open.pop()


def assert_valid_html(text: str) -> None:
    """Fail unless text is HTML Telegram accepts: known tags, balanced, & escaped."""
    assert _ENTITY.search(text) is None, "a bare & that is not an entity"
    checker = _TagChecker()
    checker.feed(text)
    checker.close()
    assert checker.open == [], f"tags left open: {checker.open}"


def plain_text(page: str) -> str:
    """Return a message's HTML as the user reads it: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def utf16_length(text: str) -> int:
    """Return the length Telegram counts."""
    return len(text.encode("utf-16-le")) // 2


@asynccontextmanager
async def polling(
    application: BotApplication, long_poll: int = 10
) -> AsyncIterator[BotApplication]:
    """Run the application as run_polling does (post_init included), on the test's loop."""
    async with application:
        assert application.post_init is not None
        await application.post_init(application)
        assert application.updater is not None

        def on_polling_error(error: TelegramError) -> None:
            # What run_polling passes: polling errors go to the error handler.
            application.create_task(application.process_error(error=error, update=None))

        await application.updater.start_polling(
            poll_interval=0,
            timeout=dtm.timedelta(seconds=long_poll),
            allowed_updates=ALLOWED_UPDATES,
            error_callback=on_polling_error,
        )
        await application.start()
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()


@asynccontextmanager
async def bot_running(
    fake: FakeBotApi,
    settings: Settings,
    core: Core,
    caplog: pytest.LogCaptureFixture,
    *,
    delivery: Delivery = FAST,
    long_poll: int = 10,
) -> AsyncIterator[Harness]:
    """Run the real bot against the fake server and return a harness to talk to it."""
    caplog.set_level(logging.INFO, logger="bot")
    application = build_application(settings, core, delivery)
    async with polling(application, long_poll) as running:
        yield Harness(fake, caplog, running)


REPO = Path(__file__).resolve().parents[2]
SETTINGS = (
    "TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_LISTEN",
    "WEBHOOK_PORT", "LOG_LEVEL", "LOG_USER_TEXT", "CONTENT_DIR", "FLOOD_MAX_MESSAGES",
    "FLOOD_WINDOW_SECONDS",
)  # fmt: skip


def start_bot(
    base_url: str, token: str = TOKEN, log: IO[str] | None = None, **settings: str
) -> subprocess.Popen[str]:
    """Run `python -m bot run` against base_url; every setting given, so .env cannot interfere.

    stdout and stderr (the log) go to `log` when given: a pipe nobody reads fills up.
    """
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        **dict.fromkeys(SETTINGS, ""),  # empty means unset, and the environment wins over .env
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_BASE_URL": base_url,
        "LOG_LEVEL": "INFO",
        **settings,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=REPO,
        env=environ,
        stdout=subprocess.PIPE if log is None else log,
        stderr=subprocess.PIPE if log is None else log,
        text=True,
    )


def free_port() -> int:
    """Return a port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
