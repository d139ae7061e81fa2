"""Properties of the core over generated questions (hypothesis): it answers anything."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import ReplyKind, Responder, load_knowledge_base
from tests.strategies import CATEGORIES, NUMERIC, categories_in_unicode, questions

RESPONDER = Responder(load_knowledge_base())  # hypothesis wants no function-scoped fixtures
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(question=questions(RESPONDER))
def test_the_core_replies_to_any_text_without_raising(question: str) -> None:
    """Whatever arrives, the reply is one of the five kinds, with something to read."""
    reply = RESPONDER.reply(question)

    assert reply.kind in set(ReplyKind)
    assert reply.body.strip()
    assert 0.0 <= reply.score <= 1.0 + 1e-9


@PROPERTY
@given(question=questions(RESPONDER))
def test_every_answer_carries_the_disclaimer_and_every_safety_reply_its_note(
    question: str,
) -> None:
    """An answer ends with the not-medical-advice disclaimer; safety guidance with its note."""
    texts = RESPONDER.kb.texts

    reply = RESPONDER.reply(question)

    if reply.kind is ReplyKind.ANSWER:
        assert reply.disclaimer == texts.disclaimer
        assert reply.text.endswith(texts.disclaimer)
        assert reply.sources
    if reply.kind is ReplyKind.SAFETY:
        assert reply.text.endswith(texts.safety_note)


@PROPERTY
@given(question=questions(RESPONDER), limit=st.integers(1, 10))
def test_inline_candidates_are_answers_with_the_disclaimer_or_one_safety_reply(
    question: str, limit: int
) -> None:
    """Inline mode offers at most `limit` answers, each with the disclaimer, or the safety reply."""
    offered = RESPONDER.candidates(question, limit=limit)

    assert len(offered) <= limit
    kinds = {reply.kind for reply in offered}
    assert kinds <= {ReplyKind.ANSWER} or (len(offered), kinds) == (1, {ReplyKind.SAFETY})
    assert all(reply.disclaimer for reply in offered)


def test_the_strategies_draw_from_every_unicode_category() -> None:
    """The questions above reach every general category, the rare ones as often as letters."""
    assert set(CATEGORIES) == categories_in_unicode()
    assert len(CATEGORIES) == len(set(CATEGORIES))


def test_a_digit_of_any_script_in_a_question_never_raises() -> None:
    """Each of Python's ~1,900 numeric characters, alone or as a dose, gets a reply."""
    kinds = {RESPONDER.reply(q).kind for ch in NUMERIC for q in (ch, f"can I take {ch}{ch} g")}

    assert kinds <= set(ReplyKind)
