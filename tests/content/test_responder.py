"""The responder over the real content: one function from a question to a reply."""

from __future__ import annotations

import pytest

from bot.core import KnowledgeBase, ReplyKind, Responder

FDA = "Food and Drug Administration"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("How much L-glutamine do you recommend per day?", "dosage"),
        ("glutamine dosege", "dosage"),
        ("does cabage have glutamin", "food_cabbage"),
        ("whats leaky gut", "what_is_leaky_gut"),
        ("side efects?", "side_effects"),
        ("can glutamine give me anxiety", "side_effects"),
        ("powder vs capsule", "supplement_form"),
        ("who wrote this", "author"),
        ("does milk have glutamine", "food_dairy"),
        ("glutamine should i take how much", "dosage"),
    ],
)
def test_in_scope_questions_get_the_right_answer(
    responder: Responder, question: str, entry: str
) -> None:
    """Typos, word order and filler still reach the right entry."""
    reply = responder.reply(question)
    assert (reply.kind, reply.entry_id) == (ReplyKind.ANSWER, entry)


@pytest.mark.parametrize(
    "question",
    [
        "how much biotin should I take",
        "is turmeric good for leaky gut",
        "what is glutamic acid",
        "side effects of caffeine",
        "what is glucosamine",
        "qwerty",
        "what time is it",
        "can i take glutamine at bedtime",
        "where can i buy cheap glutamine",
        "how long until glutamine works",
        "what causes leaky gut",
        "can i take 30 grams of glutamine",
    ],
)
def test_questions_the_article_does_not_cover_are_not_answered(
    responder: Responder, question: str
) -> None:
    """Near-domain and unrelated questions never get the nearest entry dressed up as an answer."""
    assert responder.reply(question).kind != ReplyKind.ANSWER


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("I have crushing chest pain", "chest_pain"),
        ("there's blood in my stool", "bleeding"),
        ("i threw up blood", "bleeding"),
        ("my toddler swallowed some glutamine powder", "child_ingestion"),
        ("i took the whole tub", "overdose"),
        ("i want to kill myself", "self_harm"),
        ("my throat is swelling after taking it", "allergic_reaction"),
        ("cant breathe", "breathing"),
        ("i fainted", "fainting"),
        ("severe stomach pain", "severe_pain"),
        ("i'm pregnant, how much glutamine can i take", "pregnancy"),
        ("how much glutamine for my 10 year old", "children"),
        ("I have kidney disease, can i take it", "kidney_liver"),
        ("im on lithium for bipolar", "neuro_mental"),
        ("doing chemo, is glutamine ok", "cancer"),
        ("can i take glutamine with my medication", "medication"),
    ],
)
def test_safety_rules_come_before_everything(
    responder: Responder, question: str, rule: str
) -> None:
    """Emergencies and people the dosing was not written for get safety guidance, no dose."""
    reply = responder.reply(question)
    assert (reply.kind, reply.rule) == (ReplyKind.SAFETY, rule)
    assert "2.5" not in reply.text


def test_an_emergency_wins_over_a_referral(responder: Responder) -> None:
    """A pregnant person with chest pain is sent to urgent care first."""
    assert responder.reply("im pregnant and have chest pain").rule == "chest_pain"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("hey", "greeting"),
        ("thank you!", "thanks"),
        ("bye", "goodbye"),
        ("who are you", "who_are_you"),
        # Several phrasings in a row: the last one is what is asked.
        ("hello there, how does this work?", "capabilities"),
        ("thanks that helped a lot", "thanks"),
        ("hi, who are you", "who_are_you"),
    ],
)
def test_small_talk_is_recognised(responder: Responder, question: str, intent: str) -> None:
    """Greetings and thanks get a friendly reply, not a knowledge-base answer."""
    reply = responder.reply(question)
    assert (reply.kind, reply.entry_id) == (ReplyKind.SMALLTALK, intent)


def test_a_greeting_before_a_question_does_not_hide_the_question(responder: Responder) -> None:
    """ "hi how much glutamine" is a dose question, not small talk."""
    assert responder.reply("hi how much glutamine").entry_id == "dosage"


def test_a_greeting_with_a_question_answers_the_question(responder: Responder) -> None:
    """Courtesy words never hide the question that comes with them."""
    assert responder.reply("hi! how much glutamine should i take?").entry_id == "dosage"


def test_every_entry_answers_its_own_title_and_phrasings(
    responder: Responder, kb: KnowledgeBase
) -> None:
    """Each way the content says a question is asked reaches its own entry."""
    misses = [
        (entry.id, text)
        for entry in kb.entries
        for text in (entry.title, *entry.phrasings)
        if responder.reply(text).entry_id != entry.id
    ]
    assert misses == []


def test_uncovered_phrasings_are_never_answered(responder: Responder, kb: KnowledgeBase) -> None:
    """What the article does not say gets an honest "the article doesn't say"."""
    answered = [
        p for u in kb.uncovered for p in u.phrasings if responder.reply(p).kind == ReplyKind.ANSWER
    ]
    assert answered == []


def test_every_answer_carries_the_disclaimer_and_its_sources(
    responder: Responder, kb: KnowledgeBase
) -> None:
    """Answers quote the FDA statement and name the article sentences they rest on."""
    for entry in kb.entries:
        reply = responder.reply_to_entry(entry.id)
        assert reply is not None
        assert FDA in reply.text
        assert "not medical advice" in reply.text.lower()
        assert reply.sources == entry.sources


def test_every_cited_sentence_is_in_the_article(kb: KnowledgeBase) -> None:
    """Every answer is traceable to sentences of the article, verbatim."""
    missing = [(e.id, s) for e in kb.entries for s in e.sources if s not in kb.article.sentences]
    assert missing == []


def test_low_confidence_offers_at_most_three_candidates(responder: Responder) -> None:
    """ "Did you mean" lists up to three real entries."""
    reply = responder.reply("glutamine gut")
    if reply.kind == ReplyKind.CLARIFY:
        assert 1 <= len(reply.suggestions) <= 3
        assert all(responder.reply_to_entry(s.entry_id) for s in reply.suggestions)
    else:
        assert reply.kind == ReplyKind.ANSWER


def test_fallback_says_what_it_can_answer(responder: Responder) -> None:
    """An honest "I don't know" comes with questions the bot can answer."""
    reply = responder.reply("what is the capital of france")
    assert reply.kind == ReplyKind.FALLBACK
    assert reply.suggestions
    assert "can't answer" in reply.body


def test_replies_are_deterministic(kb: KnowledgeBase) -> None:
    """The same question always gets the same reply, even from a fresh responder."""
    questions = ["glutamine", "dosege", "qwerty", "gut", "hi", "how much biotin"]
    first = [Responder(kb).reply(q) for q in questions]
    second = [Responder(kb).reply(q) for q in reversed(questions)]
    assert first == list(reversed(second))


def test_unknown_entry_ids_give_none(responder: Responder) -> None:
    """A forged button or deep link is not an error, just no entry."""
    assert responder.reply_to_entry("no_such_entry") is None


def test_inline_candidates_are_answers_best_first(responder: Responder) -> None:
    """Inline mode offers real answers, best first, within the limit."""
    replies = responder.candidates("cabbage", limit=3)
    assert replies
    assert len(replies) <= 3
    assert replies[0].entry_id == "food_cabbage"
    assert all(r.kind == ReplyKind.ANSWER for r in replies)
    assert [r.score for r in replies] == sorted((r.score for r in replies), reverse=True)


@pytest.mark.parametrize("question", ["gm doc", "gm", "hey doc", "good morning"])
def test_a_greeting_with_chat_shorthand_is_small_talk_not_a_dosage_question(
    responder: Responder, question: str
) -> None:
    """'gm' reads as good morning and 'doc' as a courtesy (the lexicon gives each one reading)."""
    reply = responder.reply(question)

    assert (reply.kind, reply.entry_id) == (ReplyKind.SMALLTALK, "greeting")
