"""Literal screens for the safety patterns must never hide a match."""

from __future__ import annotations

import re

import pytest

from bot.core import KnowledgeBase
from bot.core.prefilter import Screener, screen


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bchest (pain|pressure)\b", frozenset({"chest "})),
        (r"\b(chest|heart) pain\b", frozenset({" pain"})),
        (r"^(?=.*\b(chest|heart)\b)(?=.*\bpain\b)", frozenset({"chest", "heart"})),
        (r"(?<!no )\bpreg\w*|\bttc\b", frozenset({"preg", "ttc"})),
        (r"\bfoo?\b", frozenset({"fo"})),
        (r"\b(a|b)?c\b", frozenset({"c"})),
        (r"\w+", None),
        (r"x?|y", None),
    ],
)
def test_screens_are_literals_every_match_needs(
    pattern: str, expected: frozenset[str] | None
) -> None:
    """The screen of a pattern is a set of literals, one of which is in every match."""
    assert screen(re.compile(pattern)) == expected


def test_no_shipped_safety_pattern_matches_a_text_its_screen_rejects(kb: KnowledgeBase) -> None:
    """On every pattern's own literal words, the screen agrees with the full search."""
    texts = [
        "i have crushing chest pain",
        "there is blood in my stool",
        "my toddler swallowed some pills",
        "im 15 can i take it",
        "took 60 g by mistake",
        "how much glutamine should i take",
        "ttc and on warfarin",
        "",
    ]
    screener = Screener(kb.safety)
    for text in texts:
        hits = screener.scan(text)
        for rule in kb.safety:
            for index, pattern in enumerate(rule.patterns):
                if pattern.search(text):
                    assert (rule.id, index) in hits, (rule.id, index, text)
