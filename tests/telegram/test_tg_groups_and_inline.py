"""End to end: group chats (silent unless addressed) and inline mode."""

from __future__ import annotations

from bot.core import Responder
from bot.testing import fake_updates
from bot.testing.fake_updates import GROUP_ID
from bot.testing.harness import Harness
from bot.testing.html_checks import assert_valid_html


async def test_the_bot_stays_silent_in_a_group_unless_addressed(bot: Harness) -> None:
    """Group chatter, even about glutamine, gets no reply."""
    exchange = await bot.ask("How much glutamine should I take?", chat_id=GROUP_ID)

    assert exchange.outcome["kind"] == "ignored"
    assert exchange.made("sendMessage") == []


async def test_a_group_message_mentioning_the_bot_is_answered_in_reply(bot: Harness) -> None:
    """'@bot question' in a group is answered, quoting the asker."""
    exchange = await bot.ask(
        f"@{bot.fake.username} how much glutamine should I take?", chat_id=GROUP_ID
    )

    assert exchange.outcome["entry"] == "dosage"
    [first, *_] = exchange.made("sendMessage")
    assert first.chat_id == GROUP_ID
    assert "message_id" in first.params["reply_parameters"]


async def test_a_reply_to_the_bot_in_a_group_is_answered(bot: Harness) -> None:
    """Replying to one of the bot's messages counts as addressing it."""
    earlier = fake_updates.bot_message(bot.bot_user, "Hi!", chat_id=GROUP_ID)

    exchange = await bot.ask("does cabbage have glutamine?", chat_id=GROUP_ID, reply_to=earlier)

    assert exchange.outcome["entry"] == "food_cabbage"


async def test_a_mention_of_another_bot_is_ignored(bot: Harness) -> None:
    """@some_other_bot is not this bot."""
    exchange = await bot.ask("@some_other_bot how much glutamine?", chat_id=GROUP_ID)

    assert exchange.outcome["kind"] == "ignored"


async def test_commands_addressed_to_the_bot_work_in_groups(bot: Harness) -> None:
    """/help@bot in a group gets the help."""
    exchange = await bot.ask(f"/help@{bot.fake.username}", chat_id=GROUP_ID)

    assert exchange.outcome["kind"] == "help"


async def test_stickers_in_groups_get_no_reply(bot: Harness) -> None:
    """'I can only read text' is for private chats; groups stay quiet."""
    exchange = await bot.ask(sticker=fake_updates.sticker(), chat_id=GROUP_ID)

    assert exchange.made("sendMessage") == []


async def test_inline_mode_offers_matching_answers_with_the_disclaimer(
    bot: Harness, responder: Responder
) -> None:
    """'@bot cabbage' offers shareable answers, best first, each carrying the disclaimer."""
    exchange = await bot.inline("cabbage")

    [answer] = exchange.made("answerInlineQuery")
    results = answer.params["results"]
    expected = [r.entry_id for r in responder.candidates("cabbage", limit=10)]
    assert expected[0] == "food_cabbage"
    titles = {entry.id: entry.title for entry in responder.kb.entries}
    assert [titles[str(e)] for e in expected] == [r["title"] for r in results]
    for result in results:
        content = result["input_message_content"]
        assert responder.kb.texts.disclaimer in content["message_text"]
        assert content["parse_mode"] == "HTML"
        assert_valid_html(content["message_text"])
    assert answer.params["button"]["start_parameter"] == "inline"


async def test_an_empty_inline_query_offers_a_private_chat(bot: Harness) -> None:
    """Before the user types, there is nothing to match: only the 'ask me' button."""
    exchange = await bot.inline("")

    [answer] = exchange.made("answerInlineQuery")
    assert answer.params["results"] == []
