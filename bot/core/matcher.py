"""Rank entries for a question: IDF-weighted concept overlap over a token index.

Why not `rapidfuzz.process.extractOne(question, phrasings, scorer=WRatio)`: character
similarity is not topic similarity. WRatio scores 85.5 for any pair sharing one word, and
"how much biotin should I take" is as close to "how much glutamine should I take" as a real
typo question is. Here every word is first mapped to a concept (typos corrected with
rapidfuzz's OSA distance, synonyms merged), concepts are weighted by how rare they are across
entries, and words the content does not know count against a match.
"""

from __future__ import annotations

import enum
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import chain, repeat
from operator import add

from bot.core.analysis import ABOVE_RANGE, NUMBER, Analysis, Analyzer
from bot.core.model import Entry, KnowledgeBase, Lexicon

# Why each weight is what it is; the values were chosen with bench/tune.py on
# content/training/questions_tune.yaml (figures in docs/matching.md).
#
# unknown: a word the content does not know ("biotin", "turmeric") weighs about as much as a
#   specific topic word, so an unknown subject outweighs the generic words around it.
# foreign: words the lexicon knows to be other substances ("glutamate", "zinc", "fish oil")
#   are definite evidence that the question is about something else.
# short_unknown: unknown 3-letter words are often slang or typos ("wat", "abt"); shorter
#   ones weigh nothing.
# long_message_words: past this many words a message is chatty, and any one unknown word in
#   it is less likely to be its subject: plain unknown words weigh proportionally less.
# number: "2.5" or "10" says little on its own.
# min_weight: "glutamine" and "leaky gut" appear in most entries, so their IDF is low, yet
#   they are what the question is about: no concept weighs less than this.
# recall_share: how much the score trusts "the phrasing's words are all in the question"
#   (recall) over "the question's words are all in the phrasing" (precision).


@dataclass(frozen=True, slots=True)
class Weights:
    """The matcher's tunable weights (see the comment above for why each exists)."""

    unknown: float = 3.0
    foreign: float = 4.0
    short_unknown: float = 1.0
    long_message_words: int = 12
    number: float = 0.5
    min_weight: float = 1.0
    recall_share: float = 0.6


class CandidateKind(enum.Enum):
    """What a candidate is: an entry the article answers, or a topic it does not cover."""

    ENTRY = "entry"
    UNCOVERED = "uncovered"


ENTRY, UNCOVERED = CandidateKind.ENTRY, CandidateKind.UNCOVERED  # the short names callers use


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entry (or uncovered topic) and how well the question matches it, 0..1."""

    id: str
    kind: CandidateKind
    score: float
    evidence: int = 0  # question concepts the best phrasing shares, topic words not counted


@dataclass(frozen=True, slots=True)
class _Phrasing:
    doc: int
    weight: float
    concepts: frozenset[str]


class Matcher:
    """An inverted index from concepts to phrasings, built once from the content."""

    def __init__(
        self, kb: KnowledgeBase, analyzer: Analyzer, weights: Weights | None = None
    ) -> None:
        self._w = weights or Weights()
        # Concepts that say what the whole bot is about, not what the question asks.
        self._generic = kb.lexicon.topic_concepts | {NUMBER, ABOVE_RANGE}
        self._docs: list[tuple[str, CandidateKind]] = []
        concept_sets: list[tuple[int, frozenset[str]]] = []
        for item in kb.matchable:
            doc = len(self._docs)
            self._docs.append((item.id, ENTRY if isinstance(item, Entry) else UNCOVERED))
            for text in item.phrasings:
                found = analyzer.analyze(text, correct=False).concepts
                concept_sets.append((doc, frozenset(found)))
        self._weights = _idf(concept_sets, len(self._docs))
        self._max_weight = max(self._weights.values(), default=1.0)
        self._phrasings: list[_Phrasing] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        # Phrasings of one entry that mean the same to the matcher are indexed once.
        for doc, concepts in dict.fromkeys(concept_sets):
            index = len(self._phrasings)
            weight = sum(self.weight(c) for c in concepts)
            self._phrasings.append(_Phrasing(doc, weight, concepts))
            for concept in concepts:
                self._postings[concept].append(index)
        self._posting_sets = {c: frozenset(found) for c, found in self._postings.items()}

    def phrased(self) -> dict[str, frozenset[str]]:
        """Return, per entry and uncovered topic, the concepts its phrasings use."""
        found: dict[str, set[str]] = defaultdict(set)
        for phrasing in self._phrasings:
            found[self._docs[phrasing.doc][0]].update(phrasing.concepts)
        return {item_id: frozenset(concepts) for item_id, concepts in found.items()}

    def weight(self, concept: str) -> float:
        """Return a concept's weight: rarer across entries weighs more."""
        if concept == NUMBER:
            return self._w.number
        return max(self._weights.get(concept, self._max_weight), self._w.min_weight)

    def _overlaps(self, concepts: tuple[str, ...]) -> tuple[dict[int, float], dict[int, int]]:
        """Return, per phrasing, the weight it shares with the question and how many
        specific (non-topic) concepts.

        When the question has a specific concept, only phrasings sharing one are scored:
        "glutamine" alone is in most phrasings, and a phrasing sharing nothing but the topic
        cannot beat one that shares what the question asks.
        """
        # The sums run in C (map, zip, dict.update, Counter) over the posting lists, in the
        # same order as a loop would add them: the floats are the same to the last bit.
        shared: dict[int, float] = {}
        generic = [c for c in concepts if c in self._generic]
        postings = [self._postings.get(c, ()) for c in concepts if c not in self._generic]
        weights = [self.weight(c) for c in concepts if c not in self._generic]
        for found, w in zip(postings, weights, strict=True):
            _add(shared, found, w)
        if shared:
            specific = Counter(chain.from_iterable(postings))
            for concept in generic:
                members = self._posting_sets.get(concept, frozenset())
                _add(shared, [i for i in shared if i in members], self.weight(concept))
            return shared, specific
        for concept in generic:
            _add(shared, self._postings.get(concept, ()), self.weight(concept))
        return shared, dict.fromkeys(shared, 0)

    def unindexed_as_unknown(self, analysis: Analysis) -> Analysis:
        """Count concepts no entry uses ("protein" on its own) as unknown words: the
        content knows the word but has nothing to say about it."""
        idle = [c for c in analysis.concepts if c not in self._postings and c not in self._generic]
        if not idle:
            return analysis
        kept = tuple(c for c in analysis.concepts if c not in idle)
        return replace(analysis, concepts=kept, unknown=(*analysis.unknown, *idle))

    def rank(self, analysis: Analysis) -> list[Candidate]:
        """Return every entry sharing a concept with the question, best first."""
        question_weight = sum(self.weight(c) for c in analysis.concepts) + unknown_weight(
            analysis, self._w
        )
        if question_weight <= 0:
            return []
        shared, specific = self._overlaps(analysis.concepts)
        best: dict[int, tuple[float, int]] = {}
        phrasings, share = self._phrasings, self._w.recall_share
        rest, nothing = 1 - share, (0.0, 0)
        for index, overlap in shared.items():
            phrasing = phrasings[index]
            score = (overlap / phrasing.weight) ** share * (overlap / question_weight) ** rest
            doc = phrasing.doc
            if score > best.get(doc, nothing)[0]:
                best[doc] = (score, specific.get(index, 0))
        ranked = [
            Candidate(*self._docs[d], round(score, 4), evidence)
            for d, (score, evidence) in best.items()
        ]
        return sorted(ranked, key=lambda c: (-c.score, c.id))


def _add(totals: dict[int, float], indices: Sequence[int], weight: float) -> None:
    """Add `weight` to each index's total (from 0.0), in C: map and zip, no Python loop."""
    sums = map(add, map(totals.get, indices, repeat(0.0)), repeat(weight))
    totals.update(zip(indices, sums, strict=True))


def unknown_weight(analysis: Analysis, weights: Weights) -> float:
    """Return the total weight of the words the content does not know.

    In a long, chatty message any one unknown word is less likely to be its subject, so
    plain unknown words weigh less past `long_message_words` words; foreign terms never do.
    """
    words = len(analysis.normalized.split())
    scale = min(1.0, weights.long_message_words / words) if words else 1.0
    total = 0.0
    for word in analysis.unknown:
        if word in analysis.foreign:
            total += weights.foreign
        elif len(word) >= 4:
            total += weights.unknown * scale
        elif len(word) == 3:
            total += weights.short_unknown * scale
    return total


def significant_unknown(analysis: Analysis, lexicon: Lexicon) -> bool:
    """Tell whether the question has a word the content does not know that may be its subject.

    Short words count only when they are real English words ("dog", "tea"), not chat
    shorthand ("abt", "wat"). A word English uses only as a verb, adjective or adverb
    ("include", "different", "somewhere") is never the subject.
    """
    return bool(analysis.foreign) or any(
        (len(word) >= 4 or (len(word) == 3 and word in lexicon.english))
        and word not in lexicon.non_nouns
        for word in analysis.unknown
    )


def names_unknown(analysis: Analysis, lexicon: Lexicon, min_letters: int) -> bool:
    """Tell whether an unknown word of at least `min_letters` is no English word: a name.

    Typos are corrected before this, so what is left ("kombucha", "kefir") is most likely
    the name of something the content does not know.
    """
    return any(
        len(w) >= min_letters and w.isalpha() and w not in lexicon.english for w in analysis.unknown
    )


def _idf(concept_sets: list[tuple[int, frozenset[str]]], documents: int) -> dict[str, float]:
    docs_with: dict[str, set[int]] = defaultdict(set)
    for doc, concepts in concept_sets:
        for concept in concepts:
            docs_with[concept].add(doc)
    return {c: math.log(1 + documents / len(d)) for c, d in docs_with.items()}
