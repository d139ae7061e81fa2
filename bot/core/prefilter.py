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

import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

import ahocorasick

from bot.core.errors import Problem
from bot.core.model import SafetyRule

Screen = frozenset[str] | None  # None: no sound screen, always search
PatternKey = tuple[str, int]  # a rule's id and the index of one of its patterns
Hits = Mapping[str, tuple[int, ...]]  # rule id -> indices of its patterns worth searching

# Parsing every pattern a second time for its screen is a third of the start-up, so
# `python -m bot train` writes each pattern's screen to content/models/screens.json, keyed by
# the pattern's own text: a pattern edited since is simply not found and parsed at load.
# The key names the screen format and the Python version (whose parser produced it).
SCREENS_FILE = "screens.json"
SCREENS_FORMAT = 1  # bump whenever `screen` changes what it derives
# Subsets of an alternation kept compiled (`AlternationScreen`): a few dozen occur in chat.
ALTERNATIONS_KEPT = 256


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
    patterns: Sequence[re.Pattern[str]], cached: Mapping[str, Screen] | None = None
) -> tuple[Screen, ...]:
    """Return each pattern's screen: the literals one of which any of its matches needs.

    `cached` maps pattern texts to screens already derived (`read_screens`).
    """
    known = cached or {}
    return tuple(
        known[pattern.pattern] if pattern.pattern in known else screen(pattern)
        for pattern in patterns
    )


def _cache_key() -> str:
    return f"{SCREENS_FORMAT}:python{sys.version_info.major}.{sys.version_info.minor}"


def read_screens(path: Path) -> dict[str, Screen]:
    """Return the screens cached in `path` by pattern text; empty when it cannot serve.

    The file only saves time: when it is missing, unreadable, or written by another Python or
    screen format, every pattern is parsed at load instead (`python -m bot check` says so).
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    if not isinstance(document, dict) or document.get("key") != _cache_key():
        return {}
    found = document.get("screens")
    if not isinstance(found, dict):
        return {}
    return {
        source: None if literals is None else frozenset(literals)
        for source, literals in found.items()
        if isinstance(source, str)
        and (
            literals is None
            or (isinstance(literals, list) and all(isinstance(x, str) and x for x in literals))
        )
    }


def stale_screens(patterns: Iterable[re.Pattern[str]], path: Path) -> list[Problem]:
    """Return a problem when `path` lacks or misstates the screen of any of `patterns`."""
    cached = read_screens(path)
    wrong = sum(cached.get(p.pattern, False) != screen(p) for p in patterns)
    if not wrong:
        return []
    message = (
        f"stale screens: {wrong} safety pattern(s) missing or not as the patterns derive them"
        " now; run `python -m bot train`"
    )
    return [Problem(path, None, None, message)]


def screens_document(patterns: Iterable[re.Pattern[str]]) -> str:
    """Return the screens file for `patterns`: one pattern a line, sorted, stable across runs."""
    derived = {pattern.pattern: screen(pattern) for pattern in patterns}
    lines = [
        f"  {json.dumps(source)}: {json.dumps(None if found is None else sorted(found))}"
        for source, found in sorted(derived.items())
    ]
    body = ",\n".join(lines)
    return f'{{"key": {json.dumps(_cache_key())},\n"screens": {{\n{body}\n}}}}\n'


class Screener:
    """Find, in one pass over a text, which safety patterns can match it (Aho-Corasick).

    Every literal of every pattern's screen goes into one automaton, so a message is
    scanned once for all of them rather than once per rule; a pattern runs only when one of
    its literals is in the text, or when it has no sound screen.
    """

    def __init__(self, rules: Iterable[SafetyRule]) -> None:
        always: dict[str, set[int]] = {}
        needed: dict[str, set[PatternKey]] = {}
        for rule in rules:
            for index, literals in enumerate(rule.screens or (None,) * len(rule.patterns)):
                if literals is None:
                    always.setdefault(rule.id, set()).add(index)
                for literal in literals or ():
                    needed.setdefault(literal, set()).add((rule.id, index))
        self._always = {rule_id: tuple(sorted(found)) for rule_id, found in always.items()}
        self._automaton = _automaton(needed)

    def scan(self, text: str) -> Hits:
        """Return, per rule id, the indices of its patterns worth searching in `text`.

        A rule none of whose patterns can match is absent, so the rules read only the
        patterns a literal let through, not every pattern's key.
        """
        if self._automaton is None:
            return self._always
        found: dict[str, set[int]] = {r: set(i) for r, i in self._always.items()}
        for _end, keys in self._automaton.iter(text):
            for rule_id, index in keys:
                found.setdefault(rule_id, set()).add(index)
        return {rule_id: tuple(sorted(indices)) for rule_id, indices in found.items()}


class AlternationScreen:
    """Run, of a list of patterns joined as one alternation, only those a text can match.

    The masks are one alternation of some thirty phrases, and common literals ("im", "as")
    let almost every message through a screen of the whole. Per text, the alternatives one
    of whose literals is in it are joined in their order and compiled once (then kept):
    an alternative that cannot match anywhere in the text cannot change what the whole
    alternation matches, so the result is the same.
    """

    def __init__(self, parts: Sequence[tuple[str, Screen]], whole: re.Pattern[str]) -> None:
        """`parts`: each pattern's source and its screen (`screen`), in alternation order;
        `whole`: all of them joined, what a subset falls back to (the same result)."""
        self._whole = whole
        self._sources = tuple(source for source, _ in parts)
        self._always = frozenset(i for i, (_, literals) in enumerate(parts) if literals is None)
        self._compiled: dict[tuple[int, ...], re.Pattern[str]] = {}
        needed: dict[str, set[int]] = {}
        for index, (_, literals) in enumerate(parts):
            for literal in literals or ():
                needed.setdefault(literal, set()).add(index)
        self._automaton = _automaton(needed)

    def pattern_for(self, text: str) -> re.Pattern[str] | None:
        """Return the alternation of the patterns that can match `text`, or None if none can."""
        found = set(self._always)
        if self._automaton is not None:
            for _end, indices in self._automaton.iter(text):
                found.update(indices)
        if not found:
            return None
        key = tuple(sorted(found))
        pattern = self._compiled.get(key)
        if pattern is None:
            # Past ALTERNATIONS_KEPT subsets (crafted messages) the whole alternation serves:
            # no regex is compiled per message, and it matches the same.
            if len(self._compiled) >= ALTERNATIONS_KEPT:
                return self._whole
            joined = "|".join(f"(?:{self._sources[i]})" for i in key)
            try:
                pattern = re.compile(joined)
            except re.error:  # pragma: no cover - the sources compiled joined already
                pattern = self._whole
            self._compiled[key] = pattern
        return pattern


def _automaton(needed: Mapping[str, set[Any]]) -> ahocorasick.Automaton | None:
    """Return one automaton finding every literal, each with the sorted keys that need it."""
    if not needed:
        return None
    automaton = ahocorasick.Automaton()
    for literal, keys in needed.items():
        automaton.add_word(literal, tuple(sorted(keys)))
    automaton.make_automaton()
    return automaton


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
