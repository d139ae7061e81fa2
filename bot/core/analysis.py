"""Turn a question into concepts: typo correction, synonyms, stopwords, unknown words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.caches import BoundedCache
from bot.core.model import Lexicon
from bot.core.parts import CLAUSE_SPLIT
from bot.core.phrases import Phrases
from bot.core.text import has_words, is_number, normalize
from bot.core.wording import AGE_MARK, EXCLUDED_MARK, Wording

NUMBER = "#num"
# A number above the article's range (10 g, 10,000 mg): "can I take 20 g" is not answered by
# the article's dosing. 10 < n < 1000 reads as grams, n > 10,000 as milligrams.
ABOVE_RANGE = "#above_range"
ARTICLE_MAX_GRAMS = 10.0
ARTICLE_MAX_MG = 10_000.0
_CONCEPT_MARK = "§"
_FOREIGN_MARK = "¡"
# Markers in the multi-word table for phrases that are not concepts.
_FOREIGN = "<foreign>"
_FILLER = "<filler>"
# What a token is (`Analyzer._classify`).
_CONCEPT, _SOFT, _FOREIGN_WORD, _UNKNOWN, _NOTHING = "concept", "soft", "foreign", "unknown", ""
# Distinct tokens whose class is remembered; the content's vocabulary is a few thousand.
TOKEN_CACHE = 16384
# An unknown word followed by one of these is a verb there ("turn into", "ramped up").
_AFTER_A_VERB = frozenset({"into", "off", "them", "through", "out", "up", "away", "down"})
# Sentence ends, keeping "?" with its sentence: split after . ! ? (runs of them) and newlines.
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])(?![.!?…])\s*|\n+")
# For the focus, a comma straight before a question word ends a sentence too ("my nan said
# cabbage is good for the stomach, does cabbage have glutamine"), unless what follows points
# back at what came before ("..., how does that work"): parts.CLAUSE_SPLIT.


def edit_budget(word: str) -> int:
    """Return how many typos a word of this length may carry and still be corrected.

    0 up to 3 letters, 1 for 4-7, 2 for 8 and more: a looser budget turns "garbage" into
    "cabbage". Two edits also need the first two letters right (see `_correct_uncached`).
    """
    if len(word) <= 3:
        return 0
    return 1 if len(word) <= 7 else 2


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the matcher knows about one question."""

    normalized: str
    corrected: str
    concepts: tuple[str, ...]
    unknown: tuple[str, ...]  # foreign terms included: they are unknown to the content too
    soft: tuple[str, ...]
    foreign: tuple[str, ...] = ()  # other substances named ("zinc", "fish_oil")

    @property
    def is_empty(self) -> bool:
        """Tell whether nothing readable was left after normalising."""
        return not self.normalized


class Analyzer:
    """Map words to concepts with the lexicon; correct typos against the content's words."""

    def __init__(self, lexicon: Lexicon, phrasing_words: Iterable[str]) -> None:
        self._lexicon = lexicon
        self._single: dict[str, str] = {}
        multi: dict[str, str] = {}
        for concept, forms in lexicon.synonyms.items():
            for form in forms:
                (multi if " " in form else self._single)[form] = concept
        # Multi-word foreign terms ("fish oil") are marked before "fish" can count as fish.
        multi.update({t: _FOREIGN for t in lexicon.foreign_terms if " " in t})
        multi.update(dict.fromkeys(lexicon.filler_phrases, _FILLER))
        self._multi = multi
        # Topics whose own multi-word form sits inside a longer form ("leaky gut lead to").
        topic_forms = [(f, c) for f, c in multi.items() if c in lexicon.topic_concepts]
        self._inner_topics = {
            form: frozenset(c for f, c in topic_forms if f != form and f" {f} " in f" {form} ")
            for form in multi
        }
        self._phrases = Phrases(multi)
        domain = set(self._single) | {w for form in multi for w in form.split()}
        domain |= {w for w in phrasing_words if w not in lexicon.stopwords}
        self._domain = frozenset(domain)
        self._known = self._domain | lexicon.stopwords | lexicon.soft_words | lexicon.safety_words
        # Sorted so ties in typo correction are broken the same way on every run.
        self._domain_choices = sorted(w for w in self._domain | lexicon.safety_words if len(w) > 3)
        self._stop_choices = sorted(w for w in lexicon.stopwords if len(w) > 4)
        self._correct = lru_cache(maxsize=8192)(self._correct_uncached)
        # Per token, what `_classify` makes of it; bounded by the words people write.
        self._classes: BoundedCache[str, tuple[str, str]] = BoundedCache(TOKEN_CACHE)
        self._wording = Wording(
            domain=self._domain,
            known=self._known,
            english=lexicon.english,
            correct=self._correct,
            multi_forms=(form for form in multi if multi[form] not in (_FOREIGN, _FILLER)),
            exclusions=lexicon.exclusions,
            exclusions_after=lexicon.exclusions_after,
            stopwords=lexicon.stopwords,
            foreign=lexicon.foreign_terms,
            safety_words=lexicon.safety_words,
        )

    @property
    def vocabulary(self) -> frozenset[str]:
        """Return every word the matcher recognises."""
        return self._known

    def analyze(self, question: str, *, correct: bool = True) -> Analysis:
        """Analyse a question (or, with correct=False, a phrasing from the content)."""
        normalized = normalize(question)
        words = normalized.split()
        read = words
        if correct:
            # Pieces are joined before and after typo correction: "cab bage" is "cabbage"
            # before "bage" is corrected to "bake", "gluta mean" after.
            joined = self._wording.joined(words, pieces_only=True)
            words = self._wording.repair([self._correct(w) for w in joined])
            read = self._wording.denied(self._wording.ages(words))
        corrected = " ".join(words)
        reading = self._wording.excluded(" ".join(read), self._phrases)
        marked = self._phrases.sub(self._mark, reading)
        concepts: list[str] = []
        unknown: list[str] = []
        soft: list[str] = []
        foreign: list[str] = []
        tokens = marked.split()
        classes = self._classes
        for at, token in enumerate(tokens):
            found = classes.get(token)
            if found is None:
                found = classes[token] = self._classify(token)
            kind, value = found
            if kind == _CONCEPT:
                concepts.append(value)
            elif kind == _SOFT:
                soft.append(value)
            elif kind == _FOREIGN_WORD:
                unknown.append(value)
                foreign.append(value)  # another substance stays, whatever follows
            elif kind == _UNKNOWN and not (
                # A word the content does not know, followed by a particle or an object, is
                # a verb here ("turn into", "kick off", "attack them"): not a subject.
                at + 1 < len(tokens) and tokens[at + 1] in _AFTER_A_VERB
            ):
                unknown.append(value)
        return Analysis(
            normalized,
            corrected,
            tuple(dict.fromkeys(concepts)),
            tuple(unknown),
            tuple(soft),
            tuple(foreign),
        )

    def reheard(self, question: str) -> Analysis | None:
        """Return the analysis of the question with unknown words heard as content words.

        None when no word changes (bot/core/wording.py, `Wording.reheard`).
        """
        words = self._wording.reheard(normalize(question).split())
        return self.analyze(" ".join(words)) if words is not None else None

    def focus(self, question: str, whole: Analysis) -> Analysis | None:
        """Return the analysis of the last sentence of a multi-sentence message, or None.

        Chatty messages put context first and the question last ("my friend keeps going on
        about glutamine and I just nod along. what is it?"). The last sentence (the last one
        ending in "?", if any) keeps the message's topic concepts, and the earlier sentences'
        unknown words that are not everyday English (likely names of other substances).
        """
        sentences = [s for s in _SENTENCE_SPLIT.split(question) if has_words(s)]
        if len(sentences) < 2:
            sentences = [s for s in CLAUSE_SPLIT.split(question) if has_words(s)]
            pointers = self._lexicon.follow_ups.pointers
            if len(sentences) < 2 or pointers.intersection(normalize(sentences[-1]).split()):
                return None
        asked = [s for s in sentences if s.strip().endswith("?")]
        last = self.analyze(asked[-1] if asked else sentences[-1])
        topics = [c for c in whole.concepts if c in self._lexicon.topic_concepts]
        english = self._lexicon.english
        context = [w for w in whole.unknown if w not in english and w not in last.unknown]
        concepts = tuple(dict.fromkeys((*last.concepts, *topics)))
        foreign = tuple(dict.fromkeys((*last.foreign, *(w for w in context if w in whole.foreign))))
        return Analysis(
            last.normalized,
            last.corrected,
            concepts,
            (*last.unknown, *context),
            last.soft,
            foreign,
        )

    def _mark(self, form: str) -> str:
        concept = self._multi[form]
        if concept == _FILLER:
            return " "
        if concept == _FOREIGN:
            return f" {_FOREIGN_MARK}{form.replace(' ', '_')} "
        # "does glutamine do" means `function`, and still names the topic; so does "leaky
        # gut lead to" (a topic's own multi-word form inside a longer one).
        named = {self._single.get(word, "") for word in form.split()}
        named |= self._inner_topics.get(form, frozenset())
        topics = sorted(named & self._lexicon.topic_concepts)
        return " ".join(["", _CONCEPT_MARK + concept, *(_CONCEPT_MARK + t for t in topics), ""])

    def _classify(self, token: str) -> tuple[str, str]:
        """Return what a token is (a concept, soft, foreign, unknown or nothing) and its value.

        It depends on the token alone, so `analyze` keeps each answer (`_classes`).
        """
        lexicon = self._lexicon
        found = (_UNKNOWN, token)
        if token in (AGE_MARK, EXCLUDED_MARK):
            found = (_NOTHING, token)  # an age is not a dose; an excluded word is not asked
        elif token.startswith(_CONCEPT_MARK):
            found = (_CONCEPT, token[1:])
        elif token.startswith(_FOREIGN_MARK) or token in lexicon.foreign_terms:
            found = (_FOREIGN_WORD, token.lstrip(_FOREIGN_MARK))
        elif token in self._single:
            found = (_CONCEPT, self._single[token])
        elif is_number(token):
            found = (_CONCEPT, _number_concept(float(token)))
        elif token in lexicon.soft_words:
            found = (_SOFT, token)
        elif token in lexicon.stopwords:
            found = (_NOTHING, token)
        elif token in self._domain:
            found = (_CONCEPT, token)
        return found

    def _correct_uncached(self, word: str) -> str:
        """Return the domain word this one is a typo of, or the word itself."""
        lexicon = self._lexicon
        if word in self._known or word in lexicon.foreign_terms or is_number(word):
            return word
        if word in lexicon.english:
            return word  # a real word, not a typo: "living" must not become "lining"
        budget = edit_budget(word)
        if budget == 0:
            return word
        found = process.extract(
            word, self._domain_choices, scorer=OSA.distance, score_cutoff=budget, limit=None
        )
        # Two edits only when the first two letters agree: "crushing" is not "causing".
        found = [f for f in found if f[1] < 2 or f[0][:2] == word[:2]]
        if found:
            # Fewest edits first; then the candidate that keeps the first letter.
            best = min(found, key=lambda f: (f[1], f[0][0] != word[0], f[0]))
            return str(best[0])
        if len(word) > 4:
            found = process.extract(
                word, self._stop_choices, scorer=OSA.distance, score_cutoff=1, limit=1
            )
            if found:
                return str(found[0][0])
        return word


def _number_concept(value: float) -> str:
    above = ARTICLE_MAX_GRAMS < value < 1000 or value > ARTICLE_MAX_MG
    return ABOVE_RANGE if above else NUMBER
