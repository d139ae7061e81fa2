"""Recognise greetings, thanks and questions about the bot itself."""

from __future__ import annotations

from rapidfuzz import fuzz

from bot.core.analysis import Analysis
from bot.core.model import SmallTalk
from bot.core.text import normalize

# fuzz.ratio of the whole message against a small-talk phrasing. 85 lets "thank u so much"
# and "helo" through; "what" against "what can you do" (53) stays out.
SMALLTALK_MIN = 85.0
# A message that is almost exactly small talk wins even if it names a topic word
# ("are you a doctor", "help").
SMALLTALK_EXACT = 95.0


class SmallTalkMatcher:
    """Score messages against small-talk phrasings."""

    def __init__(self, smalltalk: tuple[SmallTalk, ...]) -> None:
        self._phrasings = [(normalize(p), item) for item in smalltalk for p in item.phrasings]

    def match(self, analysis: Analysis) -> SmallTalk | None:
        """Return the small talk this message is, or None."""
        text = analysis.corrected
        best_score, best = 0.0, None
        for phrasing, item in self._phrasings:
            score = fuzz.ratio(text, phrasing)
            if score > best_score:
                best_score, best = score, item
        if best_score >= SMALLTALK_EXACT:
            return best
        if analysis.concepts:
            return None
        if best_score >= SMALLTALK_MIN:
            return best
        if any(len(word) > 2 for word in analysis.unknown):
            return None
        words = set(text.split())
        for phrasing, item in self._phrasings:
            if set(phrasing.split()) <= words:
                return item
        return None
