"""Safety rules: which rule's patterns match a message, and where."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.core.model import SafetyRule


def rule_matches(rule: SafetyRule, text: str) -> Iterator[re.Match[str]]:
    """Yield every match of the rule's patterns in `text`, screened by literals first."""
    if rule.screen is not None and not rule.screen.search(text):
        return
    screens = rule.screens or (None,) * len(rule.patterns)
    for pattern, screen in zip(rule.patterns, screens, strict=True):
        if screen is None or screen.search(text):
            yield from pattern.finditer(text)


def first_match(rule: SafetyRule, texts: tuple[str, ...]) -> bool:
    """Tell whether any pattern of the rule matches any of the texts."""
    return any(next(rule_matches(rule, text), None) is not None for text in texts)
