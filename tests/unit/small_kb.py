"""A three-entry knowledge base built in code, for tests of the core's mechanics.

Like cosmicpython's test_batches.py builds a Batch directly: these tests do not load
content/, so renaming or rewording a shipped entry breaks tests/content, never tests/unit.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.core import KnowledgeBase
from bot.core.model import (
    Article,
    Entry,
    Lexicon,
    SafetyLevel,
    SafetyRule,
    SmallTalk,
    Texts,
    Uncovered,
)

SENTENCE = "L-glutamine is an amino acid."
TEXTS = Texts(**{name: f"<{name}>" for name in Texts.__dataclass_fields__})


def entry(entry_id: str, title: str, *phrasings: str) -> Entry:
    """Return an entry of the basics topic citing the one article sentence."""
    return Entry(entry_id, title, "basics", phrasings, f"answer of {entry_id}", (SENTENCE,))


ENTRIES = (
    entry("what_is_glutamine", "What is L-glutamine?", "what is glutamine", "define glutamine"),
    entry("dosage", "How much should I take?", "how much glutamine should i take"),
    entry("food_cabbage", "Does cabbage contain it?", "does cabbage contain glutamine"),
)
LEXICON = Lexicon(
    synonyms={
        "glutamine": ("glutamine", "l glutamine"),
        "dose": ("dose", "dosage", "how much", "grams"),
        "cabbage": ("cabbage", "sauerkraut"),
        "definition": ("define", "meaning"),
        "timing": ("when should i take", "bedtime"),
    },
    stopwords=frozenset({"what", "is", "should", "i", "take", "does", "contain", "can", "of"}),
    soft_words=frozenset({"hello", "hi", "please"}),
    foreign_terms=frozenset({"zinc"}),
    topic_concepts=frozenset({"glutamine"}),
)


def small_kb() -> KnowledgeBase:
    """Return the three-entry knowledge base, with one uncovered topic and one safety rule."""
    return KnowledgeBase(
        article=Article("Title", "Author", "Publisher", 2024, SENTENCE, (SENTENCE,)),
        entries=ENTRIES,
        uncovered=(Uncovered("timing", ("when should i take glutamine",), "<not said when>"),),
        smalltalk=(SmallTalk("greeting", ("hello", "hi"), "<hello>"),),
        safety=(
            SafetyRule(
                "chest_pain", SafetyLevel.EMERGENCY, (re.compile(r"\bchest pain\b"),), "<call>"
            ),
        ),
        texts=TEXTS,
        lexicon=LEXICON,
        default_suggestions=("dosage", "what_is_glutamine"),
    )


def with_entries(kb: KnowledgeBase, *entries: Entry) -> KnowledgeBase:
    """Return the knowledge base with these entries added."""
    return replace(kb, entries=(*kb.entries, *entries))
