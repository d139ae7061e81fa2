"""Rank entries for a question: IDF-weighted concept overlap over a token index.

Why not `rapidfuzz.process.extractOne(question, phrasings, scorer=WRatio)`: character
similarity is not topic similarity. WRatio scores 85.5 for any pair sharing one word, and
"how much biotin should I take" is as close to "how much glutamine should I take" as a real
typo question is. Here every word is first mapped to a concept (typos corrected with
rapidfuzz's OSA distance, synonyms merged), concepts are weighted by how rare they are across
entries, and words the content does not know count against a match.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from bot.core.analysis import NUMBER, Analysis, Analyzer
from bot.core.model import KnowledgeBase

# Weight of a word the content does not know ("biotin", "turmeric"): about as much as a
# specific topic word, so an unknown subject outweighs the generic words around it.
UNKNOWN_WEIGHT = 2.0
# Unknown 3-letter words are often slang or typos ("wat", "abt"): half weight. Shorter: none.
SHORT_UNKNOWN_WEIGHT = 1.0
# Numbers ("2.5", "10") say little on their own.
NUMBER_WEIGHT = 0.5
# How much the score trusts "the phrasing's words are all in the question" (recall) over
# "the question's words are all in the phrasing" (precision). Long, chatty questions have
# low precision; out-of-scope ones have low precision AND an unknown subject.
RECALL_SHARE = 0.5

ENTRY = "entry"
UNCOVERED = "uncovered"


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entry (or uncovered topic) and how well the question matches it, 0..1."""

    id: str
    kind: str
    score: float


@dataclass(frozen=True, slots=True)
class _Phrasing:
    doc: int
    weight: float


class Matcher:
    """An inverted index from concepts to phrasings, built once from the content."""

    def __init__(self, kb: KnowledgeBase, analyzer: Analyzer) -> None:
        self._docs: list[tuple[str, str]] = []
        concept_sets: list[tuple[int, frozenset[str]]] = []
        for kind, items in ((ENTRY, kb.entries), (UNCOVERED, kb.uncovered)):
            for item in items:
                doc = len(self._docs)
                self._docs.append((item.id, kind))
                for text in item.phrasings:
                    concepts = analyzer.analyze(text, correct=False).concepts
                    concept_sets.append((doc, frozenset(concepts)))
        self._weights = _idf(concept_sets, len(self._docs))
        self._max_weight = max(self._weights.values(), default=1.0)
        self._phrasings: list[_Phrasing] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        for doc, concepts in concept_sets:
            index = len(self._phrasings)
            self._phrasings.append(_Phrasing(doc, sum(self.weight(c) for c in concepts)))
            for concept in concepts:
                self._postings[concept].append(index)

    def weight(self, concept: str) -> float:
        """Return a concept's weight: rarer across entries weighs more."""
        if concept == NUMBER:
            return NUMBER_WEIGHT
        return self._weights.get(concept, self._max_weight)

    def rank(self, analysis: Analysis) -> list[Candidate]:
        """Return every entry sharing a concept with the question, best first."""
        question_weight = sum(self.weight(c) for c in analysis.concepts) + unknown_weight(analysis)
        if question_weight <= 0:
            return []
        shared: dict[int, float] = defaultdict(float)
        for concept in analysis.concepts:
            w = self.weight(concept)
            for index in self._postings.get(concept, ()):
                shared[index] += w
        best: dict[int, float] = {}
        for index, overlap in shared.items():
            phrasing = self._phrasings[index]
            recall = overlap / phrasing.weight
            precision = overlap / question_weight
            score = recall**RECALL_SHARE * precision ** (1 - RECALL_SHARE)
            if score > best.get(phrasing.doc, 0.0):
                best[phrasing.doc] = score
        ranked = [Candidate(*self._docs[d], round(s, 4)) for d, s in best.items()]
        return sorted(ranked, key=lambda c: (-c.score, c.id))


def unknown_weight(analysis: Analysis) -> float:
    """Return the total weight of the words the content does not know."""
    total = 0.0
    for word in analysis.unknown:
        if len(word) >= 4:
            total += UNKNOWN_WEIGHT
        elif len(word) == 3:
            total += SHORT_UNKNOWN_WEIGHT
    return total


def _idf(concept_sets: list[tuple[int, frozenset[str]]], documents: int) -> dict[str, float]:
    docs_with: dict[str, set[int]] = defaultdict(set)
    for doc, concepts in concept_sets:
        for concept in concepts:
            docs_with[concept].add(doc)
    return {c: math.log(1 + documents / len(d)) for c, d in docs_with.items()}
