"""End to end: a user's private chat with the real bot over real HTTP."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from bot.config import Settings
from bot.core import Reply, Responder
from bot.testing import fake_updates
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.harness import Harness, bot_running
from bot.testing.html_checks import assert_valid_html, utf16_length


async def test_start_welcomes_with_disclaimer_and_a_keyboard_of_topics(
    bot: Harness, responder: Responder
) -> None:
    """/start: the welcome, the disclaimer, and one button per topic."""
    exchange = await bot.ask("/start")

    texts = responder.kb.texts
    assert exchange.outcome["kind"] == "welcome"
    assert texts.welcome.split(":")[0] in exchange.text
    assert texts.disclaimer in exchange.text
    expected = [title for title, _ in responder.kb.topics]
    assert expected == [text for text, _ in exchange.buttons]


async def test_a_deep_link_answers_that_entry_directly(bot: Harness) -> None:
    """/start dosage (t.me/bot?start=dosage) answers the dosage entry."""
    exchange = await bot.ask("/start dosage")

    assert exchange.outcome == exchange.outcome | {"kind": "answer", "entry": "dosage"}
    assert "2.5 g" in exchange.text


async def test_an_unknown_deep_link_gets_the_welcome(bot: Harness) -> None:
    """A deep link to an entry that does not exist falls back to the welcome."""
    exchange = await bot.ask("/start no_such_entry")

    assert exchange.outcome["kind"] == "welcome"


async def test_a_question_gets_its_answer_with_sources_disclaimer_and_follow_ups(
    bot: Harness, responder: Responder
) -> None:
    """A plain question is answered from the article, with the disclaimer and follow-ups."""
    exchange = await bot.ask("How much glutamine should I take?")

    expected = responder.reply("How much glutamine should I take?")
    assert {"kind": "answer", "entry": "dosage"}.items() <= exchange.outcome.items()
    assert expected.body in exchange.text
    assert expected.sources[0] in exchange.text
    assert expected.disclaimer in exchange.text
    assert [f"e:{s.entry_id}" for s in expected.suggestions] == [d for _, d in exchange.buttons]


async def test_a_question_with_typos_gets_the_same_answer(bot: Harness) -> None:
    """Misspellings still find the entry."""
    exchange = await bot.ask("how much glutamin shuld i tak")

    assert exchange.outcome["entry"] == "dosage"


async def test_an_out_of_scope_question_is_told_so_and_offered_what_the_bot_can_answer(
    bot: Harness, responder: Responder
) -> None:
    """The article does not cover prices: no guess, an honest reply and suggestions."""
    exchange = await bot.ask("What is the price of glutamine?")

    assert exchange.outcome["kind"] == "fallback"
    assert responder.reply("What is the price of glutamine?").body in exchange.text
    assert all(data.startswith("e:") for _, data in exchange.buttons)


async def test_an_emergency_gets_urgent_care_guidance_first(bot: Harness) -> None:
    """Chest pain is not a glutamine question: the safety reply, in bold, with no dose."""
    exchange = await bot.ask("I have chest pain and can't breathe after taking glutamine")

    assert exchange.outcome["kind"] == "safety"
    assert exchange.pages[0].startswith("<b>")
    assert "2.5 g" not in exchange.text


@pytest.mark.parametrize("media", ["sticker", "photo", "location"])
async def test_non_text_messages_get_a_short_text_only_notice(
    bot: Harness, responder: Responder, media: str
) -> None:
    """Stickers, photos, locations: 'I can only read text'."""
    content: Any = {
        "sticker": fake_updates.sticker(),
        "photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}],
        "location": {"latitude": 52.5, "longitude": 13.4},
    }[media]

    exchange = await bot.ask(**{media: content})

    assert exchange.outcome["kind"] == "not_text"
    assert [responder.kb.texts.not_text] == [exchange.text]


async def test_an_edited_message_is_not_answered_again(bot: Harness) -> None:
    """Editing a question does not produce a second answer."""
    edited = fake_updates.message("How much glutamine should I take daily?")

    exchange = await bot.send({"edited_message": {**edited, "edit_date": edited["date"] + 5}})

    assert exchange.outcome["kind"] == "ignored"
    assert exchange.made("sendMessage") == []


async def test_html_in_a_question_cannot_break_the_reply(bot: Harness) -> None:
    """<b>, & and friends in a question are escaped wherever they are shown."""
    exchange = await bot.ask("<b>what</b> is leaky gut & <script>alert(1)</script>?")

    assert exchange.pages
    for page in exchange.pages:
        assert_valid_html(page)


async def test_an_unknown_command_gets_help(bot: Harness) -> None:
    """/frobnicate is not a command: the user gets /help instead of silence."""
    exchange = await bot.ask("/frobnicate")

    assert exchange.outcome["kind"] == "unknown"
    assert "/topics" in exchange.text


@dataclasses.dataclass(frozen=True)
class LongWinded:
    """A core whose answers are over 4096 characters: the real one, repeated."""

    inner: Responder

    @property
    def kb(self):
        return self.inner.kb

    def reply(self, question: str, context: str | None = None) -> Reply:
        reply = self.inner.reply(question)
        body = "\n\n".join(f"{n}. {reply.body} <&>" for n in range(40))
        return dataclasses.replace(reply, body=body)

    def reply_to_entry(self, entry_id: str) -> Reply | None:
        return self.inner.reply_to_entry(entry_id)

    def candidates(self, question: str, limit: int = 5) -> tuple[Reply, ...]:
        return self.inner.candidates(question, limit)


async def test_a_reply_over_4096_characters_is_split_on_paragraphs_into_valid_messages(
    fake: FakeBotApi, settings: Settings, responder: Responder, caplog: pytest.LogCaptureFixture
) -> None:
    """A long reply arrives as several messages, each within the limit and valid HTML."""
    core = LongWinded(responder)
    async with bot_running(fake, settings, core, caplog) as bot:
        exchange = await bot.ask("How much glutamine should I take?")

    expected = core.reply("How much glutamine should I take?")
    assert len(exchange.pages) > 1
    for page in exchange.pages:
        assert utf16_length(page) <= 4096
        assert_valid_html(page)
    assert expected.body.split("\n\n") == [
        p for p in exchange.text.split("\n\n") if p.endswith("<&>")
    ]
    assert exchange.made("sendMessage")[-1].buttons()  # the buttons sit under the last page
