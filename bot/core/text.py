"""Normalise free text the same way for questions, phrasings and safety patterns."""

from __future__ import annotations

import re
import unicodedata

# Format characters (zero-width spaces and joiners, bidi marks) are invisible inside a word:
# dropping them turns "glu\u200btamine" back into "glutamine". Controls, separators,
# private-use and unassigned code points become spaces.
_DROPPED_CATEGORIES = frozenset({"Cf"})
_SPACE_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Zs", "Co", "Cs", "Cn"})
_APOSTROPHES = re.compile(
    "[\u2019'`\u00b4\u02bc\u2018]"
)  # curly, straight, back-tick, acute, modifier
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
_NON_WORD = re.compile(r"(?:(?<!\d)\.|\.(?!\d)|[^\w.]|_)+")
_SPACES = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
# A number is ASCII digits with at most one decimal point: the one definition float() reads.
# `str.isdigit()` is wider (superscripts, dingbat and Ethiopic digits) and float() rejects
# those, so every digit of any script is first rewritten as its ASCII digit (`_visible`).
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_DIGIT_CATEGORIES = frozenset({"Nd", "No"})
_ASCII_DIGITS = frozenset("0123456789")
# For ASCII text both Unicode passes reduce to this: controls become spaces (NFKC, NFKD and
# the combining marks change nothing; ASCII has no format characters).
_ASCII_CONTROLS = dict.fromkeys((*range(32), 127), " ")
# The ASCII fast path in one table: controls and punctuation but ".", "," and "_" become
# spaces, apostrophes go, letters are lowered. "," and "_" wait for the thousands pass
# (its "\b" reads them), "." for `_NON_WORD` (a decimal point stays).
_ASCII_TABLE: dict[int, str | None] = {
    **{ord(c): c.lower() for c in map(chr, range(128)) if c.isupper()},
    **{ord(c): " " for c in map(chr, range(128)) if not (c.isalnum() or c in ".,_")},
    **_ASCII_CONTROLS,
    **{ord(c): None for c in "'`"},
}
_ASCII_LATE = {ord(","): " ", ord("_"): " "}
_ANY_DIGIT = re.compile(r"[0-9]")

# Telegram's limit for one message. Longer input (`ask` reads any line) is cut here, which
# bounds the cost of a hostile message; everything up to it is read, so an emergency at the
# end of a long message still reaches the safety rules.
MAX_QUESTION_CHARS = 4096


def normalize(text: str) -> str:
    """Lowercase, strip accents, apostrophes and punctuation; split numbers from units.

    Compatibility forms are folded (NFKC: full-width and bold letters, superscripts) and a
    digit of any script becomes its ASCII digit, so "\u0663 g" reads as "3 g".
    """
    text = text[:MAX_QUESTION_CHARS]
    if text.isascii():
        return _normalize_ascii(text)
    text = "".join(_visible(ch) for ch in unicodedata.normalize("NFKC", text))
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    text = _APOSTROPHES.sub("", text.casefold())
    text = _DIGIT_LETTER.sub(" ", text)
    text = _THOUSANDS.sub("", text)
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _normalize_ascii(text: str) -> str:
    """`normalize` for ASCII text: the same result, by table lookups where it can.

    Most messages are ASCII. Every punctuation mark but the point becomes a space in one
    `translate` (a run of them collapses with the spaces at the end, as `_NON_WORD` makes
    one space of it), and the digit passes run only when there is a digit.
    """
    text = text.translate(_ASCII_TABLE)  # controls, apostrophes, punctuation; lower case
    if _ANY_DIGIT.search(text) is not None:
        text = _DIGIT_LETTER.sub(" ", text)
        text = _THOUSANDS.sub("", text)
    text = text.translate(_ASCII_LATE)
    if "." in text:
        text = _NON_WORD.sub(" ", text)
    return " ".join(text.split())


def has_words(text: str) -> bool:
    """Tell whether `normalize(text)` would keep anything (cheaply, for ASCII text)."""
    if text.isascii():
        return _ASCII_WORD.search(text) is not None
    return bool(normalize(text))


def _visible(ch: str) -> str:
    category = unicodedata.category(ch)
    if category in _DROPPED_CATEGORIES:
        return ""
    if category in _DIGIT_CATEGORIES and not ch.isascii():
        digit = unicodedata.digit(ch, None)
        return ch if digit is None else str(digit)
    return " " if category in _SPACE_CATEGORIES else ch


def is_number(token: str) -> bool:
    """Tell whether a normalised token is a number such as 5 or 2.5."""
    return token[:1] in _ASCII_DIGITS and _NUMBER.fullmatch(token) is not None
