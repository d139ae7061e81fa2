"""Matching mechanics on a three-entry knowledge base built in the test (no shipped content)."""

from __future__ import annotations

import pytest

from bot.core import ReplyKind, Responder
from bot.core.model import Reason
from tests.unit.small_kb import SENTENCE, TEXTS, entry, small_kb, with_entries

RESPONDER = Responder(small_kb())


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("how much glutamine should I take", "dosage"),  # a phrasing itself
        ("glutamine dosage?", "dosage"),  # a synonym of one of its words
        ("dosege of glutamine", "dosage"),  # a typo, corrected against the content's words
        ("does sauerkraut contain glutamine", "food_cabbage"),
        ("cabage glutamine", "food_cabbage"),
        ("define glutamine", "what_is_glutamine"),
    ],
)
def test_a_question_reaches_its_entry_through_synonyms_and_typos(question: str, entry: str) -> None:
    """Words map to concepts, typos are corrected, and the entry sharing most concepts wins."""
    reply = RESPONDER.reply(question)

    assert (reply.kind, reply.entry_id) == (ReplyKind.ANSWER, entry)


def test_an_answer_carries_its_sources_and_the_disclaimer() -> None:
    """Every answer cites the article and ends with the not-medical-advice text."""
    reply = RESPONDER.reply("how much glutamine should I take")

    assert (reply.sources, reply.disclaimer) == ((SENTENCE,), TEXTS.disclaimer)
    assert reply.text.endswith(TEXTS.disclaimer)


def test_a_rare_concept_outweighs_the_topic_every_entry_shares() -> None:
    """'glutamine' is in every phrasing; 'cabbage' in one: it decides the entry."""
    ranked = RESPONDER.reply("glutamine cabbage")

    assert ranked.entry_id == "food_cabbage"


def test_an_uncovered_topic_gets_its_honest_reply_not_the_nearest_entry() -> None:
    """A question the article does not answer lands on its uncovered topic."""
    reply = RESPONDER.reply("can I take glutamine at bedtime")

    assert (reply.kind, reply.rule, reply.body) == (ReplyKind.FALLBACK, "timing", "<not said when>")


def test_another_substance_is_never_answered() -> None:
    """A foreign term ("zinc") makes a dosage question one the article does not answer."""
    reply = RESPONDER.reply("zinc dosage")

    assert (reply.kind, reply.reason) == (ReplyKind.FALLBACK, Reason.OTHER_SUBJECT)


def test_nothing_matched_offers_the_default_suggestions_in_content_order() -> None:
    """With no concept in common, the fallback offers the content's default suggestions."""
    reply = RESPONDER.reply("qwertyuiop asdfgh")

    assert reply.kind is ReplyKind.FALLBACK
    assert [s.entry_id for s in reply.suggestions] == ["dosage", "what_is_glutamine"]


def test_safety_comes_before_an_answer() -> None:
    """A message matching a safety rule gets its guidance even when it also asks a question."""
    reply = RESPONDER.reply("I have chest pain, how much glutamine should I take")

    assert (reply.kind, reply.rule) == (ReplyKind.SAFETY, "chest_pain")


def test_a_greeting_alone_is_small_talk() -> None:
    """A courtesy word with nothing asked is small talk."""
    reply = RESPONDER.reply("hello")

    assert (reply.kind, reply.entry_id) == (ReplyKind.SMALLTALK, "greeting")


def test_two_entries_equally_close_ask_did_you_mean() -> None:
    """When two entries match the same, the bot asks which one was meant."""
    twin = entry("dosage_twin", "How many grams?", "glutamine grams")  # the same concepts
    responder = Responder(with_entries(small_kb(), twin))

    reply = responder.reply("glutamine dose")

    assert reply.kind is ReplyKind.CLARIFY
    assert {s.entry_id for s in reply.suggestions} >= {"dosage", "dosage_twin"}


def test_an_entry_is_answered_by_id_and_an_unknown_id_is_none() -> None:
    """Buttons and deep links name an entry by id; an unknown id gets None, not an error."""
    reply = RESPONDER.reply_to_entry("dosage")

    assert reply is not None
    assert reply.entry_id == "dosage"
    assert RESPONDER.reply_to_entry("no_such_entry") is None
