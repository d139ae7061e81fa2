"""Literal screens for the safety patterns must never hide a match."""

from __future__ import annotations

import re

import pytest

from bot.core import KnowledgeBase
from bot.core.prefilter import screen, screens


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
    for rule in kb.safety:
        full = re.compile("|".join(f"(?:{p.pattern})" for p in rule.patterns))
        guard, _ = screens(rule.patterns)
        for text in texts:
            if full.search(text):
                assert guard is None or guard.search(text), (rule.id, text)
