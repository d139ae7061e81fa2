"""Recognise greetings, thanks and questions about the bot itself."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.core.analysis import Analysis
from bot.core.model import SmallTalk
from bot.core.text import normalize

# fuzz.ratio of the whole message against a small-talk phrasing. 85 lets "thank u so much"
# and "helo" through; "what" against "what can you do" (53) stays out.
SMALLTALK_MIN = 85.0
# A message that is almost exactly small talk wins even if it names a topic word
# ("are you a doctor", "help").
SMALLTALK_EXACT = 95.0
# A message made only of one phrasing's words and courtesy words is small talk from this
# ratio: "that helps" against "thanks that helps" (74).
SMALLTALK_OWN_WORDS = 70.0
# Longer messages are never read as a chain of small-talk phrasings.
MAX_CHAINED_WORDS = 12


class SmallTalkMatcher:
    """Score messages against small-talk phrasings."""

    def __init__(self, smalltalk: tuple[SmallTalk, ...]) -> None:
        self._phrasings = [(normalize(p), item) for item in smalltalk for p in item.phrasings]
        self._texts = [phrasing for phrasing, _ in self._phrasings]
        self._word_sets = [(frozenset(p.split()), item) for p, item in self._phrasings]
        # Chat words the content knows only as small talk ("sup", "cya") are not unknown here.
        self._words = frozenset(w for words, _ in self._word_sets for w in words)
        self._exact = dict(reversed(self._phrasings))
        self._longest = max((len(p.split()) for p in self._exact), default=0)

    def match(self, analysis: Analysis) -> SmallTalk | None:
        """Return the small talk this message is, or None."""
        text = analysis.corrected
        # First best on ties, the same as a loop would: file order decides.
        found = process.extractOne(text, self._texts, scorer=fuzz.ratio)
        best_score = found[1] if found else 0.0
        best = self._phrasings[found[2]][1] if found else None
        # Every word is the phrasing's own or a courtesy word ("thx, that helped" against
        # "that helped"): a topic word among them ("helped") is no question here. "thank you,
        # how much" is close to "thank you so much" but asks with a word of its own.
        own = self._word_sets[found[2]][0] | set(analysis.soft) if found else frozenset()
        if best_score >= SMALLTALK_EXACT or (
            best_score >= SMALLTALK_OWN_WORDS and set(text.split()) <= own
        ):
            return best
        chained = self._chained(text.split(), frozenset(analysis.soft))
        if chained is not None:
            return chained
        if analysis.concepts:
            return None
        if best_score >= SMALLTALK_MIN:
            return best
        if any(len(word) > 2 and word not in self._words for word in analysis.unknown):
            return None
        words = set(text.split())
        return next((item for needed, item in self._word_sets if needed <= words), None)

    def _chained(self, words: list[str], soft: frozenset[str]) -> SmallTalk | None:
        """Return the last of the phrasings a message is made of, one after another, or None.

        "hello there, how does this work?" is a greeting then a question about the bot;
        "thanks that helped a lot" is thanks twice. Courtesy words may sit between them.
        """
        if not words or len(words) > MAX_CHAINED_WORDS:
            return None
        if any(w not in self._words and w not in soft for w in words):
            return None  # a word of no phrasing: no chain (most messages end here)
        # last[i]: the item of the last phrasing of a reading of words[:i] (None: no reading).
        last: list[SmallTalk | None] = [None] * (len(words) + 1)
        reached = [True] + [False] * len(words)
        for end in range(1, len(words) + 1):
            if words[end - 1] in soft and reached[end - 1]:
                reached[end], last[end] = True, last[end - 1]
            for size in range(1, min(self._longest, end) + 1):
                item = self._exact.get(" ".join(words[end - size : end]))
                if item is not None and reached[end - size]:
                    reached[end], last[end] = True, item
        return last[-1] if reached[-1] else None
