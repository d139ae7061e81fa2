"""Normalising text: the same rules for questions, phrasings and safety patterns."""

from __future__ import annotations

import pytest

from bot.core.text import MAX_QUESTION_CHARS, normalize


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
