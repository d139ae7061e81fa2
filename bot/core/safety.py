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
    texts = dict.fromkeys((analysis.normalized, analysis.corrected))
    for level in LEVELS:
        for rule in rules:
            if rule.level == level and any(rule.combined.search(t) for t in texts):
                return rule
    return None
