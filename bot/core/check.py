"""`check`: lint the loaded content beyond its schema, and report citation coverage."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.model import KnowledgeBase
from bot.core.responder import Responder


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Problems that make content ambiguous, and which article sentences no answer cites."""

    problems: tuple[str, ...]
    uncited: tuple[str, ...]
    cited: int
    total: int


def check_content(kb: KnowledgeBase) -> CheckReport:
    """Lint phrasings the matcher cannot tell apart, and measure citation coverage."""
    responder = Responder(kb)
    problems: list[str] = []
    owners: dict[frozenset[str], tuple[str, str]] = {}
    for item in kb.matchable:
        for phrasing in item.phrasings:
            analysis = responder.analyze_phrasing(phrasing)
            concepts = frozenset(analysis.concepts)
            if not concepts:
                problems.append(f"{item.id}: phrasing {phrasing!r} has no word the matcher uses")
                continue
            if analysis.unknown:
                problems.append(
                    f"{item.id}: phrasing {phrasing!r} has foreign terms {analysis.unknown}"
                )
            owner = owners.setdefault(concepts, (item.id, phrasing))
            if owner[0] != item.id:
                problems.append(
                    f"{item.id}: phrasing {phrasing!r} means the same to the matcher as "
                    f"{owner[1]!r} under '{owner[0]}' ({', '.join(sorted(concepts))})"
                )
    cited = {s for e in kb.entries for s in e.sources}
    uncited = tuple(s for s in kb.article.sentences if s not in cited)
    total = len(kb.article.sentences)
    return CheckReport(tuple(problems), uncited, total - len(uncited), total)
