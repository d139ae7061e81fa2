"""End to end: tapping buttons (clarify, follow-ups, topics) and forged payloads."""

from __future__ import annotations

import pytest

from bot.core import Responder
from bot.testing.harness import Harness


async def test_a_clarify_reply_offers_candidates_and_none_of_these_and_a_tap_answers(
    bot: Harness, responder: Responder
) -> None:
    """An ambiguous question shows candidate questions; tapping one answers that entry."""
    asked = await bot.ask("leaky")
    assert asked.outcome["kind"] == "clarify"
    expected = [(s.title, f"e:{s.entry_id}") for s in responder.reply("leaky").suggestions]
    assert [*expected, ("None of these", "none")] == asked.buttons

    tapped = await bot.tap(asked.buttons[0][1])

    assert tapped.outcome["entry"] == asked.buttons[0][1].removeprefix("e:")
    assert len(tapped.made("answerCallbackQuery")) == 1
    assert responder.kb.texts.disclaimer in tapped.text


async def test_none_of_these_invites_rephrasing_and_offers_the_topics(
    bot: Harness, responder: Responder
) -> None:
    """'None of these' is answered politely, with the topics to browse."""
    exchange = await bot.tap("none")

    assert exchange.outcome["kind"] == "none_of_these"
    assert exchange.text == responder.kb.texts.none_of_these
    assert len(exchange.buttons) == len(responder.kb.topics)
    assert len(exchange.made("answerCallbackQuery")) == 1


async def test_a_follow_up_button_answers_the_follow_up(bot: Harness, responder: Responder) -> None:
    """The dosage answer offers side effects; tapping it answers side effects."""
    answer = await bot.ask("How much glutamine should I take?")
    follow_up = {data: title for title, data in answer.buttons}
    assert "e:side_effects" in follow_up

    tapped = await bot.tap("e:side_effects")

    assert tapped.outcome == tapped.outcome | {"kind": "answer", "entry": "side_effects"}
    side_effects = responder.reply_to_entry("side_effects")
    assert side_effects is not None
    assert side_effects.body in tapped.text


async def test_topics_lead_to_their_questions_and_back(bot: Harness, responder: Responder) -> None:
    """/topics lists topics; a topic edits the message into its questions; back returns."""
    listed = await bot.ask("/topics")
    title, data = listed.buttons[3]
    assert (title, data) == (responder.kb.topics[3][0], "t:3")

    opened = await bot.tap(data)
    edit = opened.made("editMessageText")[0]
    assert title in edit.text
    questions = [d.removeprefix("e:") for _, d in edit.buttons()[:-1]]
    assert list(responder.kb.topics[3][1]) == questions

    back = await bot.tap(edit.buttons()[-1][1])
    assert len(back.made("editMessageText")[0].buttons()) == len(responder.kb.topics)


@pytest.mark.parametrize(
    "payload",
    ["e:no_such_entry", "t:99", "t:-1", "t:", "e:", "x", "none " * 12, "e:../../etc", "🙂"],
)
async def test_a_forged_or_stale_button_gets_a_polite_notice(
    bot: Harness, responder: Responder, payload: str
) -> None:
    """Payloads this bot never sent are answered with a notice, never a crash."""
    exchange = await bot.tap(payload)

    assert exchange.outcome["kind"] == "stale_button"
    [answer] = exchange.made("answerCallbackQuery")
    assert answer.params["text"] == responder.kb.texts.stale_button
    assert exchange.made("sendMessage") == []


async def test_the_bot_keeps_answering_after_a_forged_button(bot: Harness) -> None:
    """A forged payload leaves no damage behind."""
    await bot.tap("e:<script>")

    exchange = await bot.ask("what is leaky gut?")

    assert exchange.outcome["kind"] == "answer"
