"""Tell a message that is clearly not English, so the bot can say it reads English only.

Chosen by measurement over the labelled sets (docs/matching.md, "Other languages"): common
words per language (content/languages.yaml) and the writing system. Compact language-id
libraries were slower to load (py3langid about 0.8 s, lingua 12 s with all its models),
slower per message, or flagged English questions ("whey glutamine", "mornin bot" for CLD2).
Conservative by design: "is glutamine good for mi estomago" is English with one Spanish
word, and is read as English.
"""

from __future__ import annotations

import re

from bot.core.model import Language

# Letters of each writing system a language in content/languages.yaml may name.
SCRIPTS = {
    "Cyrillic": "\u0400-\u052f",
    "Greek": "\u0370-\u03ff\u1f00-\u1fff",
    "Arabic": "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff",
    "Hebrew": "\u0590-\u05ff",
    "Devanagari": "\u0900-\u097f",
    "Thai": "\u0e00-\u0e7f",
    "Hangul": "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af",
    "Kana": "\u3040-\u30ff\u31f0-\u31ff",
    "Han": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff",
}
_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_SCRIPT_LETTERS = {name: re.compile(f"[{ranges}]") for name, ranges in SCRIPTS.items()}
# A message is in another writing system when at least this many of its letters, and twice
# as many as all its other letters, are in it: "what is 谷氨酰胺" and "what is глутамин"
# stay English. Only the start of a long
# message is read: it is as clear there as anywhere, and the cost stays bounded.
MIN_SCRIPT_LETTERS = 2
SCRIPT_CHARS_READ = 1000
# A message is in a listed language when at least MIN_WORDS of its words are in the list, one
# of them at least not an English function word, and these outnumber the English function
# words outside the list: one foreign word ("gracias", "mi estomago") never decides.
MIN_WORDS = 2
WORDS_READ = 100
# A writing system no listed language names (Greek, Arabic...): the English notice only.
UNLISTED = Language(code="other", name="another language", notice="")


class LanguageDetector:
    """Find the language of a message that is clearly not English, or None."""

    def __init__(
        self,
        languages: tuple[Language, ...],
        english_words: frozenset[str],
        vocabulary: frozenset[str] = frozenset(),
    ) -> None:
        """Index the languages' words; `english_words` are English function words, and
        `vocabulary` the content's own words, never evidence of another language ("gut")."""
        self._languages = languages
        self._by_script = {lang.script: lang for lang in languages if lang.script}
        self._english = english_words
        # word -> (language index, also an English function word?) for every listing
        self._index: dict[str, list[tuple[int, bool]]] = {}
        for index, language in enumerate(languages):
            for word in language.words:
                if word in english_words or word not in vocabulary:
                    self._index.setdefault(word, []).append((index, word in english_words))

    def detect(self, text: str, normalized: str) -> Language | None:
        """Return the language a message is clearly written in, if not English, else None.

        `text` is the message as sent (for its writing system), `normalized` the same
        text through bot.core.text.normalize (lowercase, no accents, for its words).
        """
        if not text.isascii():
            script = self._script(text[:SCRIPT_CHARS_READ])
            if script is not None:
                return script
        return self._by_words(normalized.split()[:WORDS_READ])

    def _by_words(self, words: list[str]) -> Language | None:
        own = [0] * len(self._languages)
        shared = [0] * len(self._languages)
        english = 0
        for word in words:
            english += word in self._english
            for index, is_english in self._index.get(word, ()):
                (shared if is_english else own)[index] += 1
        best: tuple[int, int] | None = None
        found = None
        for index, language in enumerate(self._languages):
            # English function words this language does not list count against it.
            against = english - shared[index]
            if own[index] and own[index] + shared[index] >= MIN_WORDS and own[index] > 2 * against:
                rank = (own[index] - against, own[index] + shared[index])
                if best is None or rank > best:
                    best, found = rank, language
        return found

    def _script(self, text: str) -> Language | None:
        latin = _LATIN.subn("", text)[1]
        counts = {name: pattern.subn("", text)[1] for name, pattern in _SCRIPT_LETTERS.items()}
        # Japanese mixes kana with Han characters: any kana at all reads as Japanese.
        if counts["Kana"]:
            counts["Kana"] += counts.pop("Han")
        name, letters = max(counts.items(), key=lambda item: item[1])
        others = latin + sum(counts.values()) - letters
        if letters < MIN_SCRIPT_LETTERS or letters <= 2 * others:
            return None
        return self._by_script.get(name, UNLISTED)
