"""Hostile input through Telegram: messages, inline queries and button payloads.

Every input of the corpus arrives from its own user (so the flood limit stays out of it),
through the fake Bot API and the real bot. Every message the bot sends must be valid
Telegram HTML within 4096 characters, every text must be answered like the core answers
it, nothing may crash, and nothing the users wrote may reach the logs.
"""

from __future__ import annotations

import logging
import re

import pytest

from bot.core import Responder
from bot.testing import fake_updates
from bot.testing.constants import TOKEN
from bot.testing.harness import Harness
from bot.testing.hostile_inputs import corpus
from bot.testing.html_checks import assert_valid_html, utf16_length
from bot.tg.render import render_reply, render_single

CORPUS = [hostile.text for hostile in corpus()]
FIRST_USER = 30_000
INLINE_QUERY_LIMIT = 256  # characters Telegram passes on from "@bot ..."
CALLBACK_DATA_LIMIT = 64  # bytes


def sendable(text: str) -> bool:
    """Say whether a message text is valid Telegram HTML within the limit."""
    assert_valid_html(text)
    return 0 < utf16_length(text) <= 4096


def leaked(caplog: pytest.LogCaptureFixture, texts: list[str]) -> list[str]:
    """Return the texts of 12 characters or more found in any log record."""
    return [text for text in texts if len(text) >= 12 and text in caplog.text]


async def test_every_hostile_message_is_answered_like_the_core_answers_it(
    bot: Harness, responder: Responder, caplog: pytest.LogCaptureFixture
) -> None:
    """Texts get the core's reply, commands a page, an empty text nothing; no crash, no leak."""
    caplog.set_level(logging.INFO)  # every logger, PTB's included
    users = range(FIRST_USER, FIRST_USER + len(CORPUS))
    messages = [
        fake_updates.message(t, chat_id=u, user_id=u) for t, u in zip(CORPUS, users, strict=True)
    ]

    logged = await bot.send_many([{"message": message} for message in messages])

    assert [line for line in logged if line["kind"] == "error"] == []
    mention = re.compile(rf"@{bot.fake.username}\b", re.IGNORECASE)
    for text, user in zip(CORPUS, users, strict=True):
        sent = [call.text for call in bot.fake.delivered_to("sendMessage", chat_id=user)]
        assert all(sendable(page) for page in sent)
        if text and not text.startswith("/"):
            question = mention.sub(" ", text).strip()
            assert sent == render_reply(responder.reply(question)), repr(text[:60])
        else:
            assert len(sent) == (1 if text else 0), repr(text[:60])
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert leaked(caplog, [*CORPUS, TOKEN.split(":")[1]]) == []


async def test_every_hostile_inline_query_gets_sendable_results(
    bot: Harness, responder: Responder, caplog: pytest.LogCaptureFixture
) -> None:
    """Inline mode: at most 50 results, each a valid message with the disclaimer."""
    caplog.set_level(logging.INFO)
    queries = [text[:INLINE_QUERY_LIMIT] for text in CORPUS]
    logged = await bot.send_many([{"inline_query": fake_updates.inline_query(q)} for q in queries])

    assert {line["kind"] for line in logged} == {"inline"}
    answers = bot.fake.calls_to("answerInlineQuery")
    assert len(answers) == len(queries)
    for call in answers:
        results = call.params["results"]
        assert len(results) <= 50
        for result in results:
            text = result["input_message_content"]["message_text"]
            assert sendable(text)
    asked = [q.strip() for q in queries if q.strip()]
    offered = [render_single(r) for q in asked for r in responder.candidates(q, 10)]
    shown = [
        r["input_message_content"]["message_text"] for c in answers for r in c.params["results"]
    ]
    assert sorted(shown) == sorted(offered)
    assert leaked(caplog, queries) == []


async def test_every_hostile_button_payload_is_answered_politely(bot: Harness) -> None:
    """Forged callback data: every query answered, nothing crashes."""
    payloads = sorted(
        {
            text.encode()[:CALLBACK_DATA_LIMIT].decode(errors="ignore")
            for hostile in corpus()
            if hostile.utf8_safe and (text := hostile.text)
        }
        - {""}
    )
    taps = [fake_updates.callback_query(payload, bot.bot_user) for payload in payloads]

    logged = await bot.send_many([{"callback_query": tap} for tap in taps])

    assert "error" not in {line["kind"] for line in logged}
    assert len(bot.fake.calls_to("answerCallbackQuery")) == len(payloads)
