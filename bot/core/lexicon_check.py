"""The lexicon's word lists are disjoint: a word in two of them is read as one list only.

The analyser (bot/core/analysis.py) reads each word in this order, first list wins; the
same order is stated at the top of content/lexicon.yaml for content authors:

1. filler_phrases, then multi-word forms of the lists below, longest first;
2. foreign_terms (other substances: count against a match);
3. synonyms (a form stands for its concept);
4. numbers;
5. soft_words (courtesy: small talk on their own, weightless beside a question);
6. stopwords (ignored);
7. any other word of a phrasing (a concept of its own).

A word in two of these lists takes the first one's meaning and the second listing is dead
("gm" as both a dose unit and a greeting read "gm doc" as a dosage question), so every such
overlap is a content error. `safety_words` and `topic_concepts` are not readings of a word
(the first only teaches the typo corrector, the second names concepts) and may overlap.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.core.fields import Problems
from bot.core.yaml_source import Located, LocatedList

READING_ORDER = ("filler_phrases", "foreign_terms", "synonyms", "soft_words", "stopwords")


def lexicon_clashes(data: Located, problems: Problems) -> None:
    """Record every word listed under two readings, at the later listing's line."""
    first: dict[str, tuple[str, int]] = {}
    for word, where, line, entry in _listed_words(data):
        if word not in first:
            first[word] = (where, line)
            continue
        earlier, earlier_line = first[word]
        if earlier != where:
            problems.add(
                line,
                entry,
                f"'{word}' is in {where} and in {earlier} (line {earlier_line}): a word may "
                "have one reading only (see the reading order at the top of lexicon.yaml)",
            )


def _listed_words(data: Located) -> Iterator[tuple[str, str, int, str | None]]:
    """Yield (word, list it is in, line, concept) for every word, in reading order."""
    for key in READING_ORDER:
        value = data.get(key)
        if key == "synonyms" and isinstance(value, Located):
            for concept, forms in value.items():
                where = f"synonyms of '{concept}'"
                yield from _words(forms, where, value.line_of(concept), concept)
        else:
            yield from _words(value, key, data.line_of(key), None)


def _words(
    value: object, where: str, line: int, entry: str | None
) -> Iterator[tuple[str, str, int, str | None]]:
    if not isinstance(value, list):
        return  # the loader reports a list of the wrong shape
    for index, word in enumerate(value):
        if isinstance(word, str) and word.strip():
            at = value.line_at(index, line) if isinstance(value, LocatedList) else line
            yield word.strip().lower(), where, at, entry
