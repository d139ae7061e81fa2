"""Hypothesis strategies for questions: real words, hostile fragments and any Unicode.

Shared by the core's property tests and the rendering ones, so both see the same inputs.
`st.characters()` alone draws mostly ASCII and common letters: a category as rare as the
dingbat digits (No) or lone surrogates (Cs) almost never comes up. So a character here is
drawn first by category, each of the 30 equally likely, then within it.
"""

from __future__ import annotations

import sys
import unicodedata
from typing import TYPE_CHECKING

from hypothesis import strategies as st

from bot.core import Responder
from bot.core.text import normalize
from bot.testing.hostile_inputs import NOISY

if TYPE_CHECKING:
    from hypothesis.internal.charmap import CategoryName

# Every general category Unicode defines (unicodedata's names), Cn (unassigned) included.
CATEGORIES: tuple[CategoryName, ...] = (
    "Lu", "Ll", "Lt", "Lm", "Lo",  # letters
    "Mn", "Mc", "Me",  # combining marks
    "Nd", "Nl", "No",  # digits of every script, letter numbers, other numbers
    "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po",  # punctuation
    "Sm", "Sc", "Sk", "So",  # symbols
    "Zs", "Zl", "Zp",  # separators
    "Cc", "Cf", "Cs", "Co", "Cn",  # controls, format, surrogates, private use, unassigned
)  # fmt: skip
SURROGATES: CategoryName = "Cs"  # a Python str holds them; UTF-8 (stdin, Telegram's JSON) cannot
# Everything Python calls numeric: the characters that once made float() raise.
NUMERIC = tuple(chr(cp) for cp in range(sys.maxunicode + 1) if chr(cp).isnumeric())
FRAGMENTS = [text for texts in NOISY.values() for text in texts if len(text) < 200]


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def characters(*, surrogates: bool = True) -> st.SearchStrategy[str]:
    """Return one character of any category (each equally likely), or of any code point."""
    chosen = [c for c in CATEGORIES if surrogates or c != SURROGATES]
    excluded: tuple[CategoryName, ...] = () if surrogates else (SURROGATES,)
    return st.one_of(
        st.sampled_from(chosen).flatmap(lambda c: st.characters(categories=[c])),
        st.sampled_from(NUMERIC),
        st.characters(exclude_categories=excluded),
    )


def questions(responder: Responder, *, surrogates: bool = True) -> st.SearchStrategy[str]:
    """Return a strategy for questions: content words mixed with noise, or anything at all."""
    words = sorted(
        {w for entry in responder.kb.entries for p in entry.phrasings for w in normalize(p).split()}
    )
    alphabet = characters(surrogates=surrogates)
    token = st.one_of(
        st.sampled_from(words),
        st.sampled_from([f for f in FRAGMENTS if surrogates or _utf8(f)]),
        st.text(alphabet, max_size=12),
    )
    sentence = st.lists(token, max_size=12).flatmap(
        lambda parts: st.sampled_from([" ", "", "\n", "\u200b"]).map(lambda s: s.join(parts))
    )
    repeated = st.tuples(st.text(alphabet, min_size=1, max_size=8), st.integers(1, 800))
    return st.one_of(
        sentence,
        st.text(alphabet, max_size=300),
        repeated.map(lambda pair: pair[0] * pair[1]),
    )


def categories_in_unicode() -> set[str]:
    """Return the general category of every code point (for checking CATEGORIES is whole)."""
    return {unicodedata.category(chr(cp)) for cp in range(sys.maxunicode + 1)}
