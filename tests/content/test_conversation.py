"""Follow-ups read against the conversation's last answer; new topics read on their own."""

from __future__ import annotations

import pytest

from bot.core import ReplyKind, Responder
from bot.core.model import Reason

# (the earlier message, the follow-up, the entry it must answer; None: anything but an answer)
FOLLOW_UPS = [
    ("what is the starting dose of glutamine", "and later on?", "dosage"),
    ("how much should i take", "and after that?", "dosage"),
    ("explain leaky gut", "what might that cause", "leaky_gut_conditions"),
    ("who is the author", "what kind of doctor is he", "author"),
    ("which gut conditions does he use it for", "who is he anyway", "author"),
    ("does spinach have glutamine", "says who?", "author"),
    ("who wrote this", "is he a real doctor?", "author"),
    ("what is leaky gut", "how does glutamine help with it", "how_it_helps"),
    ("what is leaky gut", "tell me more", "leaky_gut_immune"),
    ("is there glutamine in eggs", "what about fish", "food_fish"),
    ("how much should i take", "is it safe?", "side_effects"),
    ("is there glutamine in eggs", "and in apples?", None),
    ("is there glutamine in eggs", "and for zinc?", None),
    ("what is leaky gut", "how is it diagnosed?", None),
    ("what is leaky gut", "how common is that?", None),
    # A short message that does not lean, about what the last answer says.
    ("what can a leaky gut lead to", "does ibs count?", "leaky_gut_conditions"),
    ("what lowers glutamine levels", "exercise?", "low_levels"),
    ("what lowers glutamine levels", "and kombucha?", None),
    ("how much should i take", "how long should i stay on it, like months?", None),
    ("how much should i take", "2", None),
    ("what is leaky gut", "what causes it in the first place", None),
    # What the article does not say about the person it names is another subject.
    ("who wrote this", "is his surgery near manchester", None),
    ("who wrote it", "is he related to frank the plumber lol", None),
    # Asking for examples of what was just said is that answer again: all the article lists.
    ("are there side effects", "like what", "side_effects"),
    ("which foods have glutamine", "for example?", "food_sources"),
    # ...or for it simpler or shorter.
    ("what is leaky gut", "tldr pls", "what_is_leaky_gut"),
    ("how does glutamine help the gut", "in plain english?", "how_it_helps"),
    ("is there glutamine in eggs", "how many calories are in one", None),
    # A question of its own around such a phrase is read as itself.
    ("are there side effects", "like what foods have glutamine", "food_sources"),
    ("are there side effects", "summary of the dose please", "dosage"),
    # "why?": the answer that gives its reason again, else the first related one.
    ("which supplement form is best", "why?", "supplement_form"),
    ("how much should i take", "why start so low", "dosage"),
    ("what can leaky gut lead to", "why?", "leaky_gut_immune"),
    # A question naming its own topic is new, whatever "them" points at; one naming only
    # glutamine after leaky gut still points at leaky gut.
    ("who is the author", "new question, which foods have glutamine in them", "food_sources"),
    ("what is leaky gut", "so how would glutamine help it", "how_it_helps"),
    # What the last answer does not say stays not covered, even if its phrasings hint at it.
    ("what dose do i work up to", "and for how many months do i keep that up", None),
    # "anything else besides X" asks for the rest of what the last answer lists.
    ("what lowers glutamine", "anything else besides infection?", "low_levels"),
    ("is there glutamine in fish", "and almonds?", None),
    ("which form is best, powder or pills", "but why", "supplement_form"),
    ("does glutamine cause anxiety", "ok so how would i avoid that", "side_effects"),
    ("tell me about tight junctions", "so how does glutamine act on them", "tight_junctions"),
    # A question that points only at a person asks what it asks.
    ("who wrote the article", "and how many grams does he suggest", "dosage"),
    ("is there glutamine in whey", "what about regular milk", "food_dairy"),
    # A short question with no word of its own asks about the last answer; "huh" does not.
    ("who wrote the article", "what kind of doc", "author"),
    ("does exercise affect glutamine", "which way, up or down", "low_levels"),
    ("who wrote the article", "huh", None),
    # A whole question of its own that the article does not answer stays not covered.
    ("conditions linked to leaky gut", "but what actually causes leaky gut", None),
    ("does cabbage have glutamine", "got a good sauerkraut recipe then", None),
    # Courtesy, then an opener, still continues; courtesy alone is small talk.
    ("whats the starting dose", "ok and after that?", "dosage"),
    ("what is leaky gut", "cool, and what can it lead to", "leaky_gut_conditions"),
    ("whats the starting dose", "got it, cheers", None),
]


@pytest.mark.parametrize(("first", "then", "entry"), FOLLOW_UPS)
def test_a_follow_up_is_read_against_the_last_answer(
    responder: Responder, first: str, then: str, entry: str | None
) -> None:
    """ "and after that?" after the dose answer is about the dose; "and apples?" is not."""
    context = responder.reply(first).remember
    assert context is not None
    reply = responder.reply(then, context)
    if entry is None:
        assert reply.kind != ReplyKind.ANSWER
    else:
        assert (reply.kind, reply.entry_id) == (ReplyKind.ANSWER, entry)


def test_thanks_after_an_answer_is_small_talk_however_short(responder: Responder) -> None:
    context = responder.reply("how much should i start on").remember
    assert responder.reply("ta", context).kind == ReplyKind.SMALLTALK
    assert responder.reply("cheers mate").kind == ReplyKind.SMALLTALK


def test_a_persons_work_is_not_whether_glutamine_works(responder: Responder) -> None:
    assert responder.reply("where does she work").kind != ReplyKind.ANSWER
    assert responder.reply("does it work for leaky gut").entry_id == "how_it_helps"


def test_a_resolved_follow_up_says_so(responder: Responder) -> None:
    """The reason tells `ask --json` and `eval` that the conversation decided."""
    reply = responder.reply("is he a real doctor?", "author")
    assert reply.reason == Reason.FOLLOW_UP


def test_a_follow_up_without_a_conversation_is_not_guessed(responder: Responder) -> None:
    """ "and after that?" as the first message has nothing to lean on."""
    assert responder.reply("and after that?").kind != ReplyKind.ANSWER


def test_a_new_question_is_not_dragged_into_the_old_topic(responder: Responder) -> None:
    """A full question after the dose answer is answered for itself."""
    reply = responder.reply("which foods contain glutamine", "dosage")
    assert (reply.entry_id, reply.reason) == ("food_sources", Reason.MATCHED)


def test_safety_comes_first_in_a_conversation(responder: Responder) -> None:
    """ "my daughter is 9, same for her?" after a dose answer is a referral, not the dose."""
    reply = responder.reply("my daughter is 9, same for her?", "dosage")
    assert (reply.kind, reply.rule) == (ReplyKind.SAFETY, "children")


def test_only_an_answer_is_remembered(responder: Responder) -> None:
    """A fallback, safety or small-talk reply leaves the conversation's memory as it was."""
    assert responder.reply("what is leaky gut").remember == "what_is_leaky_gut"
    for message in ("how much zinc should i take", "I have chest pain", "thanks!"):
        assert responder.reply(message).remember is None


@pytest.mark.parametrize(
    ("question", "entries"),
    [
        (
            "what is leaky gut exactly and how would glutamine help",
            ("what_is_leaky_gut", "how_it_helps"),
        ),
        ("what foods have glutamine and how much should i take?", ("food_sources", "dosage")),
        (
            "what is glutamine? and what are the side effects?",
            ("what_is_glutamine", "side_effects"),
        ),
        # Two foods in one question: each is answered, not only the best-scoring one.
        ("cabbage and parsley - do they both have it", ("food_cabbage", "food_parsley")),
    ],
)
def test_every_part_of_a_multi_part_question_is_answered(
    responder: Responder, question: str, entries: tuple[str, ...]
) -> None:
    """Two questions in one message get both answers in one reply, one disclaimer."""
    reply = responder.reply(question)
    assert (reply.kind, reply.entries, reply.reason) == (
        ReplyKind.ANSWER,
        entries,
        Reason.MULTI_PART,
    )
    assert reply.text.count(responder.kb.texts.disclaimer) == 1
    for entry_id in entries:
        entry = responder.kb.entry(entry_id)
        assert entry is not None
        assert entry.answer in reply.body


def test_two_parts_one_entry_answers_are_that_entry_once(responder: Responder) -> None:
    """ "how much to start, how high can i go, and side effects?": the dose once, and the rest."""
    reply = responder.reply("how much to start on, how far up can i go, and does it cause anxiety")
    assert reply.entries == ("dosage", "side_effects")


def test_a_part_that_points_back_reads_the_topic_in_its_place(responder: Responder) -> None:
    """ "...and what diseases can it cause": "it" is leaky gut, not a cause of leaky gut."""
    reply = responder.reply("how does leaky gut affect immunity and what illnesses can it cause")
    assert "leaky_gut_conditions" in reply.entries


def test_a_part_the_article_does_not_cover_is_said_honestly(responder: Responder) -> None:
    """ "what is leaky gut and how is it diagnosed": the answer, and "the article doesn't say"."""
    reply = responder.reply("what is leaky gut and how is it diagnosed")
    uncovered = {u.id: u.reply for u in responder.kb.uncovered}
    assert reply.entries == ("what_is_leaky_gut",)
    assert uncovered["diagnosis"] in reply.body
