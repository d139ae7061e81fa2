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
    if rule.combined is None:
        return any(p.search(text) for p in rule.patterns for text in texts)
    return any(
        (rule.screen is None or rule.screen.search(text)) and rule.combined.search(text)
        for text in texts
    )
