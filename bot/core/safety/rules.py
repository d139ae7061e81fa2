"""Safety rules: which rule's patterns match a message, and where."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.core.model import SafetyRule
from bot.core.prefilter import Hits

# A text the rules read, with the patterns its one screening pass left worth searching.
Scanned = tuple[str, Hits]


def rule_matches(rule: SafetyRule, text: str, hits: Hits) -> Iterator[re.Match[str]]:
    """Yield every match in `text` of the rule's patterns that the screen let through."""
    patterns = rule.patterns
    for index in hits.get(rule.id, ()):
        yield from patterns[index].finditer(text)


def first_match(rule: SafetyRule, scanned: tuple[Scanned, ...]) -> bool:
    """Tell whether any pattern of the rule matches any of the texts."""
    return any(next(rule_matches(rule, text, hits), None) is not None for text, hits in scanned)
