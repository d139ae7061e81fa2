"""Literal prefilters for the safety patterns: strings any match must contain.

Every message runs through every safety rule, and most messages are ordinary questions.
A pattern can only match a text that contains one of its required literals ("chest" or
"heart" for `\\b(chest|heart) pain`), and one search for plain literals costs far less than
the patterns themselves, so a pattern runs only when one of its literals is in the text.
One Aho-Corasick pass over the text finds every literal of every pattern (`Screener`).
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

import ahocorasick

from bot.core.model import SafetyRule

Screen = frozenset[str] | None  # None: no sound screen, always search
PatternKey = tuple[str, int]  # a rule's id and the index of one of its patterns


def screen(pattern: re.Pattern[str]) -> Screen:
    """Return literals one of which every match of `pattern` needs in the text, or None."""
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except (re.error, TypeError, ValueError):  # pragma: no cover - compiled already
        return None
    if pattern.flags & re.IGNORECASE:
        return None
    return _sequence(list(tree))


def screens(patterns: Sequence[re.Pattern[str]]) -> tuple[Screen, ...]:
    """Return each pattern's screen: the literals one of which any of its matches needs."""
    return tuple(screen(pattern) for pattern in patterns)


class Screener:
    """Find, in one pass over a text, which safety patterns can match it (Aho-Corasick).

    Every literal of every pattern's screen goes into one automaton, so a message is
    scanned once for all of them rather than once per rule; a pattern runs only when one of
    its literals is in the text, or when it has no sound screen.
    """

    def __init__(self, rules: Iterable[SafetyRule]) -> None:
        always: set[PatternKey] = set()
        needed: dict[str, set[PatternKey]] = {}
        for rule in rules:
            for index, literals in enumerate(rule.screens or (None,) * len(rule.patterns)):
                if literals is None:
                    always.add((rule.id, index))
                for literal in literals or ():
                    needed.setdefault(literal, set()).add((rule.id, index))
        self._always = frozenset(always)
        self._automaton: ahocorasick.Automaton | None = None
        if needed:
            self._automaton = ahocorasick.Automaton()
            for literal, keys in needed.items():
                self._automaton.add_word(literal, frozenset(keys))
            self._automaton.make_automaton()

    def scan(self, text: str) -> frozenset[PatternKey]:
        """Return the (rule id, pattern index) of every pattern worth searching in text."""
        if self._automaton is None:
            return self._always
        found = set(self._always)
        for _end, keys in self._automaton.iter(text):
            found |= keys
        return frozenset(found)


class PatternScreen:
    """Tell cheaply whether one pattern can match a text: one of its literals is in it."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        literals = screen(pattern)
        self._automaton: ahocorasick.Automaton | None = None
        if literals:
            self._automaton = ahocorasick.Automaton()
            for literal in literals:
                self._automaton.add_word(literal, literal)
            self._automaton.make_automaton()

    def may_match(self, text: str) -> bool:
        """Return False only when the pattern cannot match `text`."""
        if self._automaton is None:
            return True
        return next(self._automaton.iter(text), None) is not None


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
