"""Logs: one line per update, no user text by default, the token masked everywhere."""

from __future__ import annotations

import io
import logging

import pytest

from bot.config import load_settings
from bot.core import Responder
from bot.tg.logs import RedactingFilter, setup_logging
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.tg_helpers import TOKEN, Harness, bot_running

MARKER = "capybara-5521"


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
