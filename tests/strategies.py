"""Hypothesis strategies for questions: real words, hostile fragments and any Unicode.

Shared by the core's property tests and the rendering ones, so both see the same inputs.
"""

from __future__ import annotations

from hypothesis import strategies as st

from bot.core import Responder
from bot.core.text import normalize
from bot.testing.hostile_inputs import NOISY

# Every code point, lone surrogates included: Python strings can hold them.
ANY_CHARACTER = st.characters(exclude_categories=())
FRAGMENTS = [text for texts in NOISY.values() for text in texts if len(text) < 200]


def questions(responder: Responder) -> st.SearchStrategy[str]:
    """Return a strategy for questions: content words mixed with noise, or anything at all."""
    words = sorted(
        {w for entry in responder.kb.entries for p in entry.phrasings for w in normalize(p).split()}
    )
    token = st.one_of(
        st.sampled_from(words),
        st.sampled_from(FRAGMENTS),
        st.text(ANY_CHARACTER, max_size=12),
    )
    sentence = st.lists(token, max_size=12).flatmap(
        lambda parts: st.sampled_from([" ", "", "\n", "\u200b"]).map(lambda s: s.join(parts))
    )
    repeated = st.tuples(st.text(ANY_CHARACTER, min_size=1, max_size=8), st.integers(1, 800))
    return st.one_of(
        sentence,
        st.text(ANY_CHARACTER, max_size=300),
        repeated.map(lambda pair: pair[0] * pair[1]),
    )
