"""Feedback end to end, against SQLite and PostgreSQL: votes, consented questions, /forget.

Every test reads the database itself: what users did not consent to is not there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

import pytest

from bot.config import Settings
from bot.core import Responder
from bot.state.health import Health
from bot.storage.database import open_engine
from bot.storage.feedback import Feedback
from bot.storage.people import People
from bot.storage.store import Store, VoteCount
from bot.storage.writer import Writer
from bot.testing import fake_updates
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.harness import Exchange, Harness, bot_running

FALLBACK = "Is glutamine VEGAN?"
CLARIFY = "leaky"
SAFETY = "I took 50 g of glutamine and my chest hurts"
OTHER_USER = 77


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """Return a migrated store; the bot writes to the same database."""
    engine = open_engine(db_url)
    store = Store(engine)
    store.migrate()
    yield store
    engine.dispose()


@pytest.fixture
async def bot(
    fake: FakeBotApi,
    settings: Settings,
    responder: Responder,
    store: Store,
    caplog: pytest.LogCaptureFixture,
) -> AsyncIterator[Harness]:
    """Run the real bot with feedback on, writing to the test database."""
    writer = Writer(store, Health("database", "dropped"))
    feedback = Feedback(writer, People(b"k" * 32), 30, today=lambda: date(2026, 3, 18))
    async with bot_running(fake, settings, responder, caplog, feedback=feedback) as harness:
        yield harness
    feedback.close()


def settle(bot: Harness) -> None:
    """Wait for the storage thread to write what was queued."""
    feedback = bot.application.bot_data.feedback
    assert feedback is not None
    done = feedback.writer.submit(lambda _: None)
    assert done is not None
    done.result(timeout=30)


async def ask(bot: Harness, text: str, **kwargs: Any) -> tuple[dict[str, Any], Exchange]:
    """Send a message; return it (to reply to later) and what the bot did."""
    message = fake_updates.message(text, **kwargs)
    return message, await bot.send({"message": message})


async def tap_under(
    bot: Harness, data: str, asked: dict[str, Any], user_id: int = fake_updates.USER_ID
) -> Exchange:
    """Tap a button under the bot's reply to `asked`, as Telegram delivers it."""
    query = fake_updates.callback_query(data, bot.bot_user, asked["chat"]["id"], user_id)
    query["message"]["reply_to_message"] = asked
    button = {"text": "Send this question to the authors", "callback_data": data}
    query["message"]["reply_markup"] = {"inline_keyboard": [[button]]}
    return await bot.send({"callback_query": query})


def toast(exchange: Exchange) -> str:
    """Return the text of the callback answer."""
    [answer] = exchange.made("answerCallbackQuery")
    return str(answer.params.get("text", ""))


async def test_an_answer_offers_votes_and_a_second_vote_replaces_the_first(
    bot: Harness, store: Store
) -> None:
    """👍/👎 under the dosage answer; 👎 then 👍 from one user is one up vote."""
    _, answer = await ask(bot, "How much glutamine should I take?")
    votes = [b for b in answer.buttons if b[1].startswith("v:")]

    first = await bot.tap("v:-:dosage")
    second = await bot.tap("v:+:dosage")
    settle(bot)

    assert votes == [("👍", "v:+:dosage"), ("👎", "v:-:dosage")]
    assert (first.outcome["kind"], second.outcome["kind"]) == ("vote_down", "vote_up")
    assert toast(second) == "Thanks for the feedback!"
    assert store.vote_counts() == [VoteCount("dosage", 1, 0)]


async def test_a_vote_for_an_unknown_entry_is_refused(bot: Harness, store: Store) -> None:
    """A forged payload does not put rows in the table."""
    exchange = await bot.tap("v:+:no_such_entry")
    settle(bot)

    assert exchange.outcome["kind"] == "stale_button"
    assert store.vote_counts() == []


async def test_a_fallback_is_a_reply_to_the_question_and_nothing_is_stored_unasked(
    bot: Harness, store: Store
) -> None:
    """The send button is offered; until it is pressed the database holds nothing."""
    message, reply = await ask(bot, FALLBACK)
    settle(bot)

    [sent] = reply.made("sendMessage")
    assert reply.outcome["kind"] == "fallback"
    assert ("Send this question to the authors", "send") in reply.buttons
    assert sent.params["reply_parameters"]["message_id"] == message["message_id"]
    assert store.misses() == []


async def test_pressing_send_stores_the_normalised_question_once_and_removes_the_button(
    bot: Harness, store: Store, responder: Responder
) -> None:
    """The words come from the message the bot replied to; the button goes away."""
    message, _ = await ask(bot, FALLBACK)

    pressed = await tap_under(bot, "send", message)
    await tap_under(bot, "send", message)  # pressed again before the edit arrived
    settle(bot)

    [miss] = store.misses()
    assert pressed.outcome["kind"] == "send_question"
    assert "Sent to the authors" in toast(pressed)
    assert (miss.question, miss.kind) == ("is glutamine vegan", "fallback")
    assert miss.nearest == tuple(s.entry_id for s in responder.reply(FALLBACK).suggestions)
    assert len(pressed.made("editMessageReplyMarkup")) == 1


async def test_a_safety_routed_message_is_never_stored_even_with_a_forged_button(
    bot: Harness, store: Store
) -> None:
    """No send button under it, and a crafted 'send' under it is refused."""
    message, reply = await ask(bot, SAFETY)
    forged = await tap_under(bot, "send", message)
    settle(bot)

    assert reply.outcome["kind"] == "safety"
    assert not [b for b in reply.buttons if b[1].startswith("send")]
    assert forged.outcome["kind"] == "send_refused"
    assert store.misses() == []


async def test_only_the_person_who_asked_can_send_a_question_from_a_group(
    bot: Harness, store: Store
) -> None:
    """In a group someone else's tap is refused."""
    message = fake_updates.message(FALLBACK, chat_id=fake_updates.GROUP_ID)

    refused = await tap_under(bot, "send", message, user_id=OTHER_USER)
    settle(bot)

    assert refused.outcome["kind"] == "send_refused"
    assert toast(refused) == "Only the person who asked can send this question."
    assert store.misses() == []


async def test_none_of_these_offers_send_and_records_that_the_options_were_refused(
    bot: Harness, store: Store
) -> None:
    """Clarify, 'None of these', then send: the kind says the user refused every option."""
    message, clarify = await ask(bot, CLARIFY)
    clarify_message = fake_updates.callback_query("none", bot.bot_user)
    clarify_message["message"]["reply_to_message"] = message
    none = await bot.send({"callback_query": clarify_message})

    sent = await tap_under(bot, "send:none", message)
    settle(bot)

    assert clarify.outcome["kind"] == "clarify"
    assert none.buttons[0] == ("Send this question to the authors", "send:none")
    assert sent.outcome["kind"] == "send_question"
    assert [(m.question, m.kind) for m in store.misses()] == [("leaky", "none_of_these")]


async def test_forget_deletes_every_vote_and_question_of_that_user_only(
    bot: Harness, store: Store, responder: Responder
) -> None:
    """/forget: the user's rows go, another user's stay; the reply says it is done."""
    message, _ = await ask(bot, FALLBACK)
    await tap_under(bot, "send", message)
    await bot.tap("v:+:dosage")
    await bot.tap("v:-:dosage", user_id=OTHER_USER)

    forgotten = await bot.ask("/forget")

    assert forgotten.outcome["kind"] == "forget"
    assert forgotten.text == responder.kb.texts.forgotten
    assert store.misses() == []
    assert store.vote_counts() == [VoteCount("dosage", 0, 1)]


async def test_privacy_states_the_configured_memory_time_and_retention(bot: Harness) -> None:
    """/privacy fills in the settings' figures, never a placeholder."""
    exchange = await bot.ask("/privacy")

    assert "10 minutes" in exchange.text
    assert "deleted after 30 days" in exchange.text
    assert "{" not in exchange.text
