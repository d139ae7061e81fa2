"""content/english_non_nouns.txt is what bot/train/word_classes.py makes from the word list."""

from __future__ import annotations

from bot.core import KnowledgeBase
from bot.core.loader import DEFAULT_CONTENT_DIR, ENGLISH_NON_NOUNS
from bot.train.word_classes import HEADER, non_nouns


def test_the_non_noun_list_is_current(kb: KnowledgeBase) -> None:
    """Regenerating the list from english_words.txt gives the shipped file, byte for byte."""
    expected = HEADER + "".join(f"{w}\n" for w in non_nouns(sorted(kb.lexicon.english)))
    shipped = (DEFAULT_CONTENT_DIR / ENGLISH_NON_NOUNS).read_text(encoding="utf-8")
    assert shipped == expected, "run: python -m bot.train.word_classes"


def test_a_verb_or_adjective_is_never_the_subject_and_a_noun_can_be(kb: KnowledgeBase) -> None:
    """Sample words the list must and must not hold."""
    listed = kb.lexicon.non_nouns
    assert {"include", "different", "somewhere"} <= listed
    assert not {"rice", "rabbits", "name", "dog"} & listed
