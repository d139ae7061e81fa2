"""Safety rules: emergencies and people the article's dosing was not written for."""

from __future__ import annotations

from bot.core.analysis import Analysis
from bot.core.model import SafetyRule

EMERGENCY = "emergency"
REFERRAL = "referral"
LEVELS = (EMERGENCY, REFERRAL)


def find_safety_rule(rules: tuple[SafetyRule, ...], analysis: Analysis) -> SafetyRule | None:
    """Return the first rule matching the message, every emergency before any referral.

    Patterns run on the normalised text and on the typo-corrected text, so a misspelling
    the corrector fixes cannot hide an emergency.
    """
    texts = tuple(dict.fromkeys((analysis.normalized, analysis.corrected)))
    for level in LEVELS:
        for rule in rules:
            if rule.level == level and _matches(rule, texts):
                return rule
    return None


def _matches(rule: SafetyRule, texts: tuple[str, ...]) -> bool:
    screens = rule.screens or (None,) * len(rule.patterns)
    for text in texts:
        if rule.screen is not None and not rule.screen.search(text):
            continue
        for pattern, screen in zip(rule.patterns, screens, strict=True):
            if (screen is None or screen.search(text)) and pattern.search(text):
                return True
    return False
