"""Logs: one line per update, no user text by default, the token masked everywhere."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import logging
import time
from collections.abc import Callable

import pytest

from bot.config import Settings, load_settings
from bot.core import Reply, Responder
from bot.testing.constants import TOKEN
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.harness import Harness, bot_running
from bot.tg.logs import (
    WITHHELD,
    RedactingFilter,
    guard_library_logs,
    scrubbed_traceback,
    setup_logging,
)

MARKER = "capybara-5521"


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Poll until condition holds; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        await asyncio.sleep(0.01)


async def test_each_update_gets_one_line_with_id_kind_entry_and_latency(bot: Harness) -> None:
    """update=<id> kind=<reply kind> entry=<entry id> latency_ms=<n>, once per update."""
    exchange = await bot.ask(f"how much glutamine should I take {MARKER}")

    lines = [r.getMessage() for r in bot.caplog.records if r.name == "bot.tg.updates"]
    assert len(lines) == 1
    assert {"kind": "answer", "entry": "dosage"}.items() <= exchange.outcome.items()
    assert int(exchange.outcome["latency_ms"]) >= 0
    assert lines[0].startswith(f"update={exchange.update_id} ")


async def test_no_user_text_reaches_the_logs_at_the_default_level(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Questions, button payloads and inline queries are never logged at INFO."""
    caplog.set_level(logging.INFO)  # every logger, PTB's included

    await bot.ask(f"how much glutamine {MARKER}")
    await bot.ask(f"<b>{MARKER}</b>", chat_id=-100_123)
    await bot.inline(f"cabbage {MARKER}")

    assert MARKER not in caplog.text
    assert TOKEN.split(":")[1] not in caplog.text


async def test_log_user_text_adds_the_text_at_debug_level_only(
    fake: FakeBotApi, responder: Responder, caplog: pytest.LogCaptureFixture
) -> None:
    """LOG_USER_TEXT=true is for debugging: the text goes into a DEBUG line."""
    environ = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": fake.base_url}
    settings = load_settings({**environ, "LOG_USER_TEXT": "true"}, None)
    async with bot_running(fake, settings, responder, caplog) as bot:
        caplog.set_level(logging.DEBUG, logger="bot.tg.updates")
        exchange = await bot.ask(f"what is leaky gut {MARKER}")

    [line] = [r for r in caplog.records if MARKER in r.getMessage()]
    assert line.levelno == logging.DEBUG
    assert line.getMessage().startswith(f"update={exchange.update_id} text=")


def test_the_redacting_filter_masks_the_token_in_messages_arguments_and_tracebacks() -> None:
    """The last line of defence: whoever logs the token, it comes out as ***."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter([TOKEN]))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    try:
        logger.warning("POST https://api.telegram.org/bot%s/getMe", TOKEN)
        logger.warning("url-encoded: %s", TOKEN.replace(":", "%3A"))
        try:
            raise ValueError(f"Invalid token {TOKEN}")
        except ValueError:
            logger.exception("start-up failed")
    finally:
        logger.removeHandler(handler)

    output = stream.getvalue()
    assert TOKEN.split(":")[1] not in output
    assert output.count("***") >= 3


def test_setup_logging_quiets_the_http_client_that_logs_token_urls() -> None:
    """httpx logs request URLs (with the token) at INFO: it is set to WARNING."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging("INFO", [TOKEN])
        assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
        assert root.level == logging.INFO
    finally:
        root.handlers, root.level = saved[0], saved[1]


@dataclasses.dataclass(frozen=True)
class Leaky:
    """A core with a bug whose exception quotes the question, as a KeyError on a word does."""

    inner: Responder

    @property
    def kb(self):
        return self.inner.kb

    def reply(self, question: str, context: str | None = None) -> Reply:
        raise KeyError(question)

    def reply_to_entry(self, entry_id: str) -> Reply | None:
        return self.inner.reply_to_entry(entry_id)

    def candidates(self, question: str, limit: int = 5) -> tuple[Reply, ...]:
        raise ValueError(f"cannot rank {question!r}")


async def test_a_crash_whose_message_quotes_the_user_logs_the_trace_but_not_the_text(
    fake: FakeBotApi, settings: Settings, responder: Responder, caplog: pytest.LogCaptureFixture
) -> None:
    """The error handler logs frames and exception types; the messages are withheld."""
    caplog.set_level(logging.INFO)
    async with bot_running(fake, settings, Leaky(responder), caplog) as bot:
        asked = await bot.ask(f"how much glutamine {MARKER}")
        inline = await bot.inline(f"glutamine {MARKER}")

    assert (asked.outcome["kind"], inline.outcome["kind"]) == ("error", "error")
    failures = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 2
    assert "KeyError: <message withheld>" in failures[0]
    assert "in reply" in failures[0]  # the frame that raised, to find the bug by
    assert "ValueError: <message withheld>" in failures[1]
    assert MARKER not in caplog.text


def test_ptb_payload_dumps_are_withheld_whoever_configured_logging(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """PTB's "could not parse" lines lose their data (the invalid-JSON one goes whole: our
    own line says it); other PTB lines are untouched."""
    guard_library_logs()
    caplog.set_level(logging.INFO)
    update = [{"update_id": 1, "message": {"text": MARKER}}]

    for name in ("telegram.Bot", "telegram.ext.ExtBot"):
        logging.getLogger(name).critical(
            "Error while parsing updates! Received data was %r", update
        )
    logging.getLogger("telegram.ext.Updater").critical(
        "Something went wrong processing the data received from Telegram. "
        "Received data was *not* processed! Received data was: %r",
        update,
    )
    logging.getLogger("telegram.request.BaseRequest").error(
        'Can not load invalid JSON data: "%s"', MARKER
    )
    logging.getLogger("telegram.ext.Application").info("Application started %s", "here")

    assert MARKER not in caplog.text
    assert caplog.text.count(WITHHELD) == 3
    assert "invalid JSON" not in caplog.text
    assert "Application started here" in caplog.text


def test_a_scrubbed_traceback_keeps_frames_and_types_and_drops_messages() -> None:
    """Causes come first, as Python prints them; no message survives."""
    try:
        try:
            empty: dict[str, int] = {}
            empty[MARKER]
        except KeyError as error:
            raise RuntimeError(MARKER) from error
    except RuntimeError as error:
        trace = scrubbed_traceback(error)

    assert MARKER not in trace
    assert trace.index("KeyError: <message withheld>") < trace.index("RuntimeError: <message")
    assert "test_a_scrubbed_traceback_keeps_frames_and_types_and_drops_messages" in trace
