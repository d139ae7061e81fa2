"""Analysing a question: typos, synonyms, stopwords and words the content does not know."""

from __future__ import annotations

import pytest

from bot.core import Responder
from bot.core.analysis import ABOVE_RANGE, NUMBER, edit_budget


@pytest.mark.parametrize(
    ("question", "concept"),
    [
        ("glutamin", "glutamine"),
        ("glutamene", "glutamine"),
        ("gluatmine", "glutamine"),
        ("dosege", "dose"),
        ("cabage", "cabbage"),
        ("side efects", "side_effect"),
        ("leeky gut", "leaky_gut"),
        ("parsly", "parsley"),
        ("how many grams", "dose"),
        ("2500 mg", "dose"),
    ],
)
def test_typos_and_synonyms_map_to_the_same_concept(
    responder: Responder, question: str, concept: str
) -> None:
    """Misspelt and differently worded questions reach the concept the content uses."""
    assert concept in responder.analyze(question).concepts


@pytest.mark.parametrize("word", ["garbage", "living", "crushing", "glutamate", "glutamic"])
def test_real_and_foreign_words_are_never_corrected_into_domain_words(
    responder: Responder, word: str
) -> None:
    """A real word is not a typo: "living" stays "living", not "lining"."""
    analysis = responder.analyze(word)
    assert (analysis.concepts, analysis.unknown) == ((), (word,))


def test_multiword_foreign_terms_hide_their_domain_words(responder: Responder) -> None:
    """ "fish oil" is another supplement, not fish."""
    analysis = responder.analyze("fish oil")
    assert (analysis.concepts, analysis.unknown) == ((), ("fish_oil",))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("is 2.5 g enough", NUMBER),
        ("10 g", NUMBER),
        ("20 g", ABOVE_RANGE),
        ("30000 mg", ABOVE_RANGE),
    ],
)
def test_amounts_above_the_article_range_are_marked(
    responder: Responder, question: str, expected: str
) -> None:
    """Amounts beyond 10 g / 10,000 mg are not covered by the article's dosing."""
    assert expected in responder.analyze(question).concepts


@pytest.mark.parametrize(
    ("word", "budget"), [("egg", 0), ("eggs", 1), ("cabbage", 1), ("glutamine", 2)]
)
def test_edit_budget_grows_with_word_length(word: str, budget: int) -> None:
    """Short words get no typo allowance; long ones get two."""
    assert edit_budget(word) == budget


def test_stopwords_and_filler_are_ignored(responder: Responder) -> None:
    """Function words and chat filler carry no concept and count as nothing unknown."""
    analysis = responder.analyze("so um what exactly is it")
    assert (analysis.concepts, analysis.unknown) == ((), ())


@pytest.mark.parametrize(
    ("question", "verb"),
    [("what can leaky gut turn into", "turn"), ("whats the target once you ramped up", "ramped")],
)
def test_a_word_before_a_particle_is_a_verb_not_a_subject(
    responder: Responder, question: str, verb: str
) -> None:
    """ "turn into", "ramped up": the unknown word is what is done, not what is asked about."""
    assert verb not in responder.analyze(question).unknown


def test_a_named_substance_before_a_particle_stays_the_subject(responder: Responder) -> None:
    """ "zinc" is another substance wherever it stands."""
    assert "zinc" in responder.analyze("can glutamine and zinc out do each other").foreign
