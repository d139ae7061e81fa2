"""Literal prefilters for the safety patterns: strings any match must contain.

Every message runs through every safety rule, and most messages are ordinary questions.
A pattern can only match a text that contains one of its required literals ("chest" or
"heart" for `\\b(chest|heart) pain`), and one search for plain literals costs far less than
the patterns themselves, so a rule's patterns run only when its screen finds a literal.
The literals are read from the regex parse tree (`re._parser`, CPython's own parser): a
rule with a pattern that cannot be screened soundly (only optional parts, character
classes) is always searched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

Screen = frozenset[str] | None  # None: no sound screen, always search


def screen(pattern: re.Pattern[str]) -> Screen:
    """Return literals one of which every match of `pattern` needs in the text, or None."""
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except (re.error, TypeError, ValueError):  # pragma: no cover - compiled already
        return None
    if pattern.flags & re.IGNORECASE:
        return None
    return _sequence(list(tree))


def screens(
    patterns: Sequence[re.Pattern[str]],
) -> tuple[re.Pattern[str] | None, tuple[re.Pattern[str] | None, ...]]:
    """Return one screen for all the patterns and one per pattern (None: always search).

    A text in which a screen finds none of its literals cannot match its pattern(s).
    """
    each = [screen(pattern) for pattern in patterns]
    known = [literals for literals in each if literals is not None]
    whole = frozenset().union(*known) if len(known) == len(each) else None
    return _literal_regex(whole), tuple(_literal_regex(literals) for literals in each)


def _literal_regex(literals: Screen) -> re.Pattern[str] | None:
    if literals is None:
        return None
    ordered = sorted(literals, key=lambda s: (-len(s), s))
    return re.compile("|".join(re.escape(literal) for literal in ordered))


def _sequence(items: Iterable[tuple[Any, Any]]) -> Screen:
    """Any one required part of a concatenation is required: keep the most selective."""
    found: list[frozenset[str]] = []
    run = ""
    for op, arg in items:
        if op is sre.LITERAL:
            run += chr(arg)
            continue
        if run:
            found.append(frozenset({run}))
            run = ""
        part = _item(op, arg)
        if part is not None:
            found.append(part)
    if run:
        found.append(frozenset({run}))
    return max(found, key=lambda s: (min(map(len, s)), -len(s)), default=None)


def _item(op: Any, arg: Any) -> Screen:
    if op is sre.BRANCH:
        branches = [_sequence(branch) for branch in arg[1]]
        if any(b is None for b in branches):
            return None
        return frozenset().union(*(b for b in branches if b is not None))
    if op is sre.SUBPATTERN:
        return _sequence(arg[-1])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, _high, inner = arg
        return _sequence(inner) if low >= 1 else None
    if op is sre.ASSERT:
        # A positive lookahead's content must be in the text too (not in the match).
        return _sequence(arg[1])
    return None
