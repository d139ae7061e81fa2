"""Literal screens for the safety patterns must never hide a match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import KnowledgeBase
from bot.core.learned import MODELS_DIR
from bot.core.loader import DEFAULT_CONTENT_DIR
from bot.core.prefilter import (
    SCREENS_FILE,
    AlternationScreen,
    Screener,
    read_screens,
    screen,
    screens,
    screens_document,
    stale_screens,
)
from bot.core.safety.context import masked
from bot.core.safety.load import screened_patterns


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
                    assert index in hits.get(rule.id, ()), (rule.id, index, text)


def test_the_shipped_screens_file_holds_what_every_pattern_derives(kb: KnowledgeBase) -> None:
    """The start-up trusts content/models/screens.json: it must say what `screen` says."""
    cached = read_screens(DEFAULT_CONTENT_DIR / MODELS_DIR / SCREENS_FILE)
    patterns = screened_patterns(kb)
    assert {p.pattern: screen(p) for p in patterns} == {
        p.pattern: cached[p.pattern] for p in patterns
    }
    parts = kb.safety_context.mask_parts
    assert parts
    assert all(literals == screen(re.compile(source)) for source, literals in parts)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_running_only_the_masks_a_text_can_match_blanks_what_all_of_them_would(
    kb: KnowledgeBase, data: st.DataObject
) -> None:
    """Messages made of the masks' own literals and everyday words, in any order."""
    context = kb.safety_context
    literals = sorted({w for _, found in context.mask_parts for w in found or ()})
    words = ["i", "work", "in", "a", "my", "the", "nurse", "is", "on", "cancer", "ward", "pain"]
    text = " ".join(data.draw(st.lists(st.sampled_from(literals + words), max_size=14)))
    assert context.masks is not None
    pattern = AlternationScreen(context.mask_parts, context.masks).pattern_for(text)
    subset = text if pattern is None else masked(context, text, pattern)
    assert subset == masked(context, text)


def test_a_cached_screen_is_used_and_a_missing_one_derived(tmp_path: Path) -> None:
    chest, other = re.compile(r"\bchest pain\b"), re.compile(r"\bfaint(ed)?\b")
    assert screens((chest, other), {chest.pattern: frozenset({"cached"})}) == (
        frozenset({"cached"}),
        frozenset({"faint"}),
    )
    path = tmp_path / SCREENS_FILE
    path.write_text(screens_document((chest,)), encoding="utf-8")
    assert read_screens(path) == {chest.pattern: frozenset({"chest pain"})}
    assert stale_screens((chest,), path) == []
    assert "stale screens: 1 " in str(stale_screens((chest, other), path)[0])


@pytest.mark.parametrize(
    "text", ["", "not json", '{"key": "0:python2.7", "screens": {}}', '{"screens": []}']
)
def test_a_screens_file_that_cannot_serve_is_ignored(tmp_path: Path, text: str) -> None:
    """The file only saves time: unreadable or from another Python, every pattern is parsed."""
    path = tmp_path / SCREENS_FILE
    path.write_text(text, encoding="utf-8")
    assert read_screens(path) == {}
    assert read_screens(tmp_path / "missing.json") == {}
