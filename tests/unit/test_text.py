"""Normalising text: the same rules for questions, phrasings and safety patterns."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.caches import BoundedCache
from bot.core.text import MAX_QUESTION_CHARS, is_number, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("What's L-Glutamine?", "whats l glutamine"),
        ("2,500mg per day", "2500 mg per day"),
        ("is 2.5g enough", "is 2.5 g enough"),
        ("5-10g (5,000-10,000 mg)", "5 10 g 5000 10000 mg"),
        ("glu\u200btamine", "glutamine"),
        ("x\u202eevil", "xevil"),
        ("Café naïve", "cafe naive"),
        ("<b>hi</b> & ok", "b hi b ok"),
        ("a\tb\x00c", "a b c"),
        ("I\u2019m pregnant", "im pregnant"),  # a curly apostrophe
        ("?!...", ""),
        ("", ""),
    ],
)
def test_normalize_lowercases_and_strips_punctuation_accents_and_invisibles(
    raw: str, expected: str
) -> None:
    """Punctuation, accents, zero-width and bidi characters never change what a word is."""
    assert normalize(raw) == expected


def test_normalize_cuts_very_long_messages() -> None:
    """A hostile 100,000-character message costs no more than Telegram's longest one."""
    assert len(normalize("a" * 100_000)) == MAX_QUESTION_CHARS


def _numeric_characters() -> list[str]:
    """Return every code point Python calls a digit or numeric (about 1,900 of them)."""
    return [chr(cp) for cp in range(sys.maxunicode + 1) if chr(cp).isnumeric()]


NUMERIC = _numeric_characters()


def test_every_numeric_token_after_normalising_is_a_plain_ascii_number_or_no_number() -> None:
    """A digit of any script (dingbats, superscripts, Ethiopic) never makes float() raise."""
    rejected = []
    for ch in NUMERIC:
        for token in normalize(f"take {ch} g and {ch}{ch}.{ch}").split():
            if is_number(token):
                try:
                    float(token)
                except ValueError:
                    rejected.append(token)

    assert rejected == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u0663 g", "3 g"),  # ARABIC-INDIC DIGIT THREE
        ("\u0967\u0966 g", "10 g"),  # DEVANAGARI ONE ZERO
        ("\u2790 g", "7 g"),  # DINGBAT NEGATIVE CIRCLED SANS-SERIF DIGIT SEVEN
        ("5\u00b2", "52"),  # superscript two: NFKC makes it a plain digit
        ("\u1369 g", "1 g"),  # ETHIOPIC DIGIT ONE
    ],
)
def test_digits_of_every_script_read_as_ascii_digits(raw: str, expected: str) -> None:
    """A digit is a digit whatever its script: the number it writes is what the matcher sees."""
    assert normalize(raw) == expected


@pytest.mark.parametrize("token", ["5", "2.5", "10000"])
def test_ascii_numbers_are_numbers(token: str) -> None:
    """Whole and decimal numbers in ASCII digits are numbers."""
    assert is_number(token)


@pytest.mark.parametrize("token", ["", ".", "2.5.1", "\u2790", "\u00b2", "\u1369", "5g", "½"])
def test_anything_but_ascii_digits_is_no_number(token: str) -> None:
    """Only ASCII digits with at most one decimal point make a number: float() reads all of them."""
    assert not is_number(token)


def _normalize_by_regex(text: str) -> str:
    """The ASCII path as it was written first, all regexes: the oracle for the fast one."""
    text = text[:MAX_QUESTION_CHARS].translate(dict.fromkeys((*range(32), 127), " "))
    text = re.sub("['`]", "", text.casefold())
    text = re.sub(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)", " ", text)
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = re.sub(r"(?:(?<!\d)\.|\.(?!\d)|[^\w.]|_)+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.sampled_from([chr(c) for c in range(128)])
        | st.sampled_from(["1,000", "2.5", "3.", ".5", "_", "5g", "g5", " ", "1,0000", "I'M"]),
        max_size=40,
    ).map("".join)
)
def test_the_ascii_fast_path_says_what_the_regexes_say(text: str) -> None:
    assert normalize(text) == _normalize_by_regex(text)


def test_a_bounded_cache_empties_when_full_and_never_grows_past_its_size() -> None:
    cache: BoundedCache[str, int] = BoundedCache(3)
    for n, key in enumerate("abcd"):
        cache[key] = n
        assert len(cache) <= 3
    assert dict(cache) == {"d": 3}


def test_a_bounded_cache_does_not_keep_a_key_longer_than_any_word() -> None:
    cache: BoundedCache[str, int] = BoundedCache(3, longest=5)
    cache["short"] = 1
    cache["much too long"] = 2
    assert dict(cache) == {"short": 1}
