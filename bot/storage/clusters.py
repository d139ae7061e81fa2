"""Group the questions users sent into clusters of the same question in other words.

Words every question shares (stopwords, "glutamine", "leaky gut") would make any two
questions look alike, so questions are compared on what is left: "is glutamine vegan" and
"is l glutamine vegan friendly" meet on "vegan", "is glutamine halal" stays apart.
rapidfuzz's token_set_ratio scores one set of words inside another as a match. Greedy:
each question joins the first cluster whose leader it matches, the most asked first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.model import Lexicon
from bot.storage.store import Miss

# token_set_ratio on the distinctive words; 80 keeps "vegan" with "vegan friendly" and
# "pregnant" with "pregnancy safe", and "vegan" apart from "halal" (tests/storage).
CLUSTER_MIN = 80.0
EXAMPLES = 5


@dataclass(frozen=True, slots=True)
class Cluster:
    """Questions asking the same thing: how often, examples, the nearest entry, a phrasing."""

    count: int
    examples: tuple[str, ...]
    nearest: str | None
    suggestion: str
    kinds: tuple[tuple[str, int], ...]


def common_words(lexicon: Lexicon) -> frozenset[str]:
    """Return the words that say nothing about what a question asks: stopwords, topic names."""
    topic = {
        w for c in lexicon.topic_concepts for f in lexicon.synonyms.get(c, ()) for w in f.split()
    }
    return lexicon.stopwords | frozenset(topic)


def cluster(misses: Sequence[Miss], common: frozenset[str]) -> list[Cluster]:
    """Return the clusters of misses, the most asked first."""
    asked = Counter(m.question for m in misses)
    leaders: list[str] = []
    members: dict[str, list[str]] = {}
    for question, _ in asked.most_common():
        key = _key(question, common)
        found = process.extractOne(
            key, [_key(q, common) for q in leaders], scorer=fuzz.token_set_ratio,
            score_cutoff=CLUSTER_MIN,
        )  # fmt: skip
        leader = leaders[found[2]] if found else question
        if not found:
            leaders.append(question)
        members.setdefault(leader, []).append(question)
    clusters = [_summary(qs, misses, asked, common) for qs in members.values()]
    return sorted(clusters, key=lambda c: (-c.count, c.suggestion))


def _summary(
    questions: list[str], misses: Sequence[Miss], asked: Counter[str], common: frozenset[str]
) -> Cluster:
    mine = [m for m in misses if m.question in set(questions)]
    nearest = Counter(m.nearest[0] for m in mine if m.nearest).most_common(1)
    kinds = Counter(m.kind for m in mine).most_common()
    return Cluster(
        count=len(mine),
        examples=tuple(questions[:EXAMPLES]),
        nearest=nearest[0][0] if nearest else None,
        suggestion=_medoid(questions, common),
        kinds=tuple(kinds),
    )


def _medoid(questions: list[str], common: frozenset[str]) -> str:
    """Return the question most like all the others (the shortest among equals)."""

    def closeness(question: str) -> float:
        key = _key(question, common)
        return sum(fuzz.token_set_ratio(key, _key(other, common)) for other in questions)

    return min(questions, key=lambda q: (-closeness(q), len(q), q))


def _key(question: str, common: frozenset[str]) -> str:
    words = [w for w in question.split() if w not in common]
    return " ".join(words) or question
