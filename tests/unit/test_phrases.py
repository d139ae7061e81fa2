"""Multi-word forms are found as one regex alternation of them would find them."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.core.phrases import Phrases

FORMS = ("leaky gut", "leaky gut syndrome", "gut lining", "fish oil", "bone broth soup", "a b")
WORDS = st.sampled_from(
    [
        "leaky",
        "gut",
        "syndrome",
        "lining",
        "fish",
        "oil",
        "bone",
        "broth",
        "soup",
        "a",
        "b",
        "the",
        "x",
    ]
)


def _alternation(forms: tuple[str, ...]) -> re.Pattern[str]:
    """The regex the finder replaced: longest first, on whitespace boundaries."""
    body = "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f)))
    return re.compile(rf"(?<!\S)(?:{body})(?!\S)")


def test_the_longest_form_wins_and_matching_resumes_after_it() -> None:
    phrases = Phrases(FORMS)
    assert phrases.sub(str.upper, "is leaky gut syndrome a gut lining thing") == (
        "is LEAKY GUT SYNDROME a GUT LINING thing"
    )
    assert phrases.match("leaky gut lining") == "leaky gut"
    assert phrases.match("the leaky gut") is None
    assert not Phrases(())
    assert Phrases(()).sub(str.upper, "leaky gut") == "leaky gut"


@given(st.lists(WORDS, max_size=12))
def test_sub_and_match_agree_with_the_regex_alternation(words: list[str]) -> None:
    text = " ".join(words)
    phrases, regex = Phrases(FORMS), _alternation(FORMS)
    assert phrases.sub(lambda f: f"<{f}>", text) == regex.sub(lambda m: f"<{m.group(0)}>", text)
    found = regex.match(text)
    assert phrases.match(text) == (found.group(0) if found else None)
