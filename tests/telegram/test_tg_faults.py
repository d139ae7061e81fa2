"""End to end: the bot when Telegram misbehaves, a handler crashes, or a user floods it."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from bot.config import Settings, load_settings
from bot.core import Reply, Responder
from bot.testing.constants import FAST, TOKEN
from bot.testing.fake_bot_api import FakeBotApi, Fault
from bot.testing.harness import Harness, bot_running
from bot.testing.html_checks import plain_text

QUESTION = "How much glutamine should I take, asks quokka-4412?"


async def test_a_429_is_retried_after_retry_after_and_delivered_once(bot: Harness) -> None:
    """Flood control on sendMessage: the rate limiter waits and sends again, once."""
    bot.fake.inject("sendMessage", Fault.too_many_requests(retry_after=1))

    exchange = await bot.ask(QUESTION)

    attempts = exchange.made("sendMessage")
    assert len(attempts) == 2
    assert attempts[0].params == attempts[1].params
    assert attempts[1].at - attempts[0].at >= 1.0
    assert exchange.outcome["kind"] == "answer"


async def test_a_user_who_blocked_the_bot_is_logged_and_skipped(bot: Harness) -> None:
    """403 from sendMessage: one info line, no apology attempt, the next user is served."""
    bot.fake.inject("sendMessage", Fault.blocked())

    blocked = await bot.ask(QUESTION, chat_id=77, user_id=77)
    served = await bot.ask(QUESTION)

    assert len(blocked.made("sendMessage")) == 1
    assert blocked.outcome["kind"] == "unreachable"
    assert any("chat unreachable" in r.getMessage() for r in bot.caplog.records)
    assert served.outcome["kind"] == "answer"


@pytest.mark.parametrize("status", [500, 502])
async def test_a_5xx_is_retried_and_the_answer_delivered_once(bot: Harness, status: int) -> None:
    """Telegram answered that it failed: nothing was sent, so the page is sent again."""
    bot.fake.inject("sendMessage", Fault.server_error(status), times=2)

    exchange = await bot.ask(QUESTION)

    assert len(exchange.made("sendMessage")) == 3
    assert len(bot.fake.delivered_to("sendMessage")) == 1
    assert exchange.outcome["kind"] != "error"


async def test_a_5xx_that_outlasts_the_retries_is_logged_and_apologised_for(
    bot: Harness, responder: Responder
) -> None:
    """Three 502s in a row: the update fails, is logged without user text, and apologised for."""
    bot.fake.inject("sendMessage", Fault.server_error(502), times=3)

    exchange = await bot.ask(QUESTION)

    assert exchange.outcome["kind"] == "error"
    apology = await bot.fake.wait_for("sendMessage", count=4)
    assert apology[-1].text == responder.kb.texts.error
    assert not any("quokka" in record.getMessage() for record in bot.caplog.records)


async def test_an_answer_lost_on_a_dropped_connection_is_not_sent_twice(bot: Harness) -> None:
    """The request went out, the answer never came: Telegram may have delivered it, so once."""
    bot.fake.inject("sendMessage", Fault.dropped())

    exchange = await bot.ask(QUESTION)

    assert len(exchange.made("sendMessage")) == 1
    assert len(bot.fake.delivered_to("sendMessage")) == 1
    assert exchange.outcome["kind"] != "error"
    logged = [record.getMessage() for record in bot.caplog.records]
    assert any("delivery unknown after RemoteProtocolError" in line for line in logged)


async def test_an_answer_whose_reply_is_too_slow_is_not_sent_twice(
    fake: FakeBotApi, settings: Settings, responder: Responder, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram took the page but answered after the timeout: delivered once, logged unknown."""
    delivery = dataclasses.replace(FAST, timeout=0.3)
    async with bot_running(
        fake, settings, responder, caplog, delivery=delivery, long_poll=1
    ) as bot:
        fake.inject("sendMessage", Fault.slow(3.0))  # far past the timeout, even on a busy box
        exchange = await bot.ask(QUESTION)

    assert len(exchange.made("sendMessage")) == 1
    assert len(fake.delivered_to("sendMessage")) == 1
    assert exchange.outcome["kind"] != "error"
    assert "delivery unknown after ReadTimeout" in caplog.text


async def test_html_telegram_cannot_parse_is_sent_again_as_plain_text(bot: Harness) -> None:
    """400 can't parse entities: the user still gets the words, without formatting."""
    bot.fake.inject("sendMessage", Fault.cant_parse_entities())

    exchange = await bot.ask(QUESTION)

    html_try, plain_try = exchange.made("sendMessage")
    assert html_try.params["parse_mode"] == "HTML"
    assert "parse_mode" not in plain_try.params
    assert plain_try.text == plain_text(html_try.text)
    assert plain_try.buttons() == html_try.buttons()
    assert exchange.outcome["kind"] != "error"


@dataclasses.dataclass(frozen=True)
class Broken:
    """A core that fails on every question (a bug), to exercise the error handler."""

    inner: Responder

    @property
    def kb(self):
        return self.inner.kb

    def reply(self, question: str, context: str | None = None) -> Reply:
        raise RuntimeError("bug in the core")

    def reply_to_entry(self, entry_id: str) -> Reply | None:
        return self.inner.reply_to_entry(entry_id)

    def candidates(self, question: str, limit: int = 5) -> tuple[Reply, ...]:
        return self.inner.candidates(question, limit)


async def test_a_crash_in_a_handler_is_logged_without_user_text_and_apologised_for(
    fake: FakeBotApi, settings: Settings, responder: Responder, caplog: pytest.LogCaptureFixture
) -> None:
    """One error handler: it logs the crash (no user text, no token) and apologises."""
    async with bot_running(fake, settings, Broken(responder), caplog) as bot:
        exchange = await bot.ask(QUESTION)
        [apology] = await fake.wait_for("sendMessage")

    assert exchange.outcome["kind"] == "error"
    assert apology.text == responder.kb.texts.error
    failure = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failure) == 1
    assert "RuntimeError" in caplog.text
    assert "quokka" not in caplog.text
    assert TOKEN not in caplog.text


async def test_a_flooding_user_is_told_once_to_slow_down_while_others_are_served(
    fake: FakeBotApi, responder: Responder, caplog: pytest.LogCaptureFixture
) -> None:
    """Over the per-user limit: one 'slow down', then silence; another user is answered."""
    environ = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": fake.base_url,
        "FLOOD_MAX_MESSAGES": "3",
        "FLOOD_WINDOW_SECONDS": "60",
    }
    async with bot_running(fake, load_settings(environ, None), responder, caplog) as bot:
        flood = [await bot.ask("what is leaky gut?") for _ in range(6)]
        other = await bot.ask("what is leaky gut?", chat_id=43, user_id=43)

    kinds = [exchange.outcome["kind"] for exchange in flood]
    assert kinds == ["answer"] * 3 + ["flood_warn", "flood_drop", "flood_drop"]
    assert flood[3].text == responder.kb.texts.slow_down
    assert [exchange.made("sendMessage") for exchange in flood[4:]] == [[], []]
    assert other.outcome["kind"] == "answer"


async def test_a_slow_send_to_one_user_does_not_hold_up_another(bot: Harness) -> None:
    """Updates are processed concurrently: B is answered while A's reply is still in flight."""
    bot.fake.inject("sendMessage", Fault.slow(2.0))  # far longer than a poll
    slow = bot.fake.send_text("what is leaky gut?", chat_id=50, user_id=50)
    await bot.fake.wait_for("sendMessage", chat_id=50)

    fast = await bot.ask("what is leaky gut?", chat_id=51, user_id=51)

    assert fast.outcome["kind"] == "answer"
    assert bot.log_line(slow) is None
    assert (await bot.outcome(slow))["kind"] == "answer"
