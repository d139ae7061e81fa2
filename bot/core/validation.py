"""Checks across content files: ids, citations, links, duplicate phrasings, lexicon clashes."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.article import squash
from bot.core.fields import Problems, located_items
from bot.core.lexicon_check import lexicon_clashes
from bot.core.model import KnowledgeBase
from bot.core.text import normalize
from bot.core.yaml_source import Located, LocatedList

# (file, list key) of every item that owns phrasings and an id in the matcher's namespace.
_PHRASED = (("knowledge", "entries"), ("uncovered", "uncovered"), ("smalltalk", "smalltalk"))


def cross_check(
    kb: KnowledgeBase, data: Mapping[str, Located], checks: Mapping[str, Problems]
) -> None:
    """Record every cross-file problem in `checks`."""
    _unique_ids_and_phrasings(data, checks)
    _citations(kb, data, checks["knowledge"])
    _links(kb, data, checks)
    _default_suggestions(kb, data["knowledge"], checks["knowledge"])
    lexicon_clashes(data["lexicon"], checks["lexicon"])
    for sentence in _disclaimer_sentences(kb):
        if sentence not in squash(kb.texts.disclaimer):
            checks["texts"].add(None, "disclaimer", f"must quote the article: {sentence!r}")


def _unique_ids_and_phrasings(data: Mapping[str, Located], checks: Mapping[str, Problems]) -> None:
    ids: dict[str, str] = {}
    phrasings: dict[str, str] = {}
    for name, key in _PHRASED:
        for item in located_items(data[name], key):
            if not isinstance(item.get("id"), str):
                continue  # reported by the loader already
            eid = str(item.get("id"))
            if eid in ids:
                checks[name].add(item.line_of("id"), eid, f"duplicate id (also in {ids[eid]})")
            ids[eid] = f"{name}.yaml"
            raw = item.get("phrasings")
            seen: set[str] = set()
            for phrasing in raw if isinstance(raw, list) else []:
                norm = normalize(str(phrasing))
                owner = phrasings.setdefault(norm, eid)
                if owner != eid or norm in seen:
                    where = "twice" if owner == eid else f"also under '{owner}'"
                    message = f"phrasing {phrasing!r} {where}"
                    checks[name].add(item.line_of("phrasings"), eid, message)
                seen.add(norm)


def _citations(kb: KnowledgeBase, data: Mapping[str, Located], problems: Problems) -> None:
    sentences = set(kb.article.sentences)
    for item, entry in zip(located_items(data["knowledge"], "entries"), kb.entries, strict=True):
        for source in entry.sources:
            if source not in sentences:
                problems.add(
                    item.line_of("sources"), entry.id, f"source not in the article: {source!r}"
                )


def _links(kb: KnowledgeBase, data: Mapping[str, Located], checks: Mapping[str, Problems]) -> None:
    known = {e.id for e in kb.entries}
    pairs = [
        (item, entry.id, "follow_ups", entry.follow_ups, "knowledge")
        for item, entry in zip(located_items(data["knowledge"], "entries"), kb.entries, strict=True)
    ] + [
        (item, u.id, "suggest", u.suggest, "uncovered")
        for item, u in zip(located_items(data["uncovered"], "uncovered"), kb.uncovered, strict=True)
    ]
    for item, eid, key, targets, name in pairs:
        for target in targets:
            if target not in known or target == eid:
                checks[name].add(
                    item.line_of(key), eid, f"'{key}' points at unknown entry '{target}'"
                )


def _default_suggestions(kb: KnowledgeBase, knowledge: Located, problems: Problems) -> None:
    known = {e.id for e in kb.entries}
    listed = knowledge.get("default_suggestions")
    for index, target in enumerate(kb.default_suggestions):
        if target not in known:
            line = knowledge.line_of("default_suggestions")
            if isinstance(listed, LocatedList):
                line = listed.line_at(index, line)
            message = f"'default_suggestions' points at unknown entry '{target}'"
            problems.add(line, None, message)


def _disclaimer_sentences(kb: KnowledgeBase) -> tuple[str, ...]:
    return tuple(
        s
        for s in kb.article.sentences
        if "Food and Drug Administration" in s or "not intended to diagnose" in s
    )
