"""Safety words heard or typed wrong: "chest pane", "past out", "seisure", "cant brethe".

Voice-to-text writes real words ("pane", "past"), which the typo corrector rightly leaves
alone, so the safety rules also read a third text in which every word that sounds like a
safety word (the same Metaphone key, jellyfish's implementation) or is one typo away from
one becomes that word. Only the rules read it; the matcher never sees it, so an ordinary
word never changes an answer, and a rule still needs its whole pattern ("pane" alone is
nothing, "chest pane" is chest pain). Words the content itself uses ("many", "mean",
"find", "cooking") are never re-heard: Metaphone alone hears "many" as "mania".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import jellyfish
from rapidfuzz import process
from rapidfuzz.distance import OSA

# Shorter words carry too little sound to compare: "pan" is not "pain".
MIN_LENGTH = 4
# One typo for words of at least this length ("chess" -> "chest", "stoke" -> "stroke").
TYPO_MIN_LENGTH = 5
# A sound-alike must also be spelled close: the same first two letters and at most this many
# edits ("past" -> "passed" is 3). "tomorrow" and "tumor" share a key, not a beginning.
SOUND_MAX_EDITS = 3


class SoundAlike:
    """Rewrite words that sound like (or are a typo of) a safety word into that word."""

    def __init__(self, safety_words: Iterable[str], keep: frozenset[str] = frozenset()) -> None:
        words = sorted({w for w in safety_words if len(w) >= MIN_LENGTH})
        self._words = frozenset(words)
        self._keep = keep
        self._choices = words
        self._by_key: dict[str, str] = {}
        for word in words:
            self._by_key.setdefault(jellyfish.metaphone(word), word)
        self._word = lru_cache(maxsize=8192)(self._word_uncached)

    def variant(self, text: str) -> str | None:
        """Return the text with sound-alike words replaced, or None when nothing changed."""
        words = text.split()
        changed = [self._word(w) for w in words]
        return " ".join(changed) if changed != words else None

    def _word_uncached(self, word: str) -> str:
        if len(word) < MIN_LENGTH or word in self._words or word in self._keep:
            return word
        if not word.isalpha():
            return word
        heard = self._by_key.get(jellyfish.metaphone(word))
        if heard and heard[:2] == word[:2] and OSA.distance(word, heard) <= SOUND_MAX_EDITS:
            return heard
        if len(word) < TYPO_MIN_LENGTH:
            return word
        found = process.extractOne(word, self._choices, scorer=OSA.distance, score_cutoff=1)
        if found is not None and str(found[0])[0] == word[0]:
            return str(found[0])
        return word
