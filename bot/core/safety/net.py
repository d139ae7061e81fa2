"""The learned second net: a text classifier's opinion on which safety rule fits, if any.

It may escalate a message to safety and choose the rule; it never lowers what a rule
decided (see `bot/core/safety/check.py`). Thresholds are on the summed probability of a
level's rules, chosen by cross-validation on `content/training/` (docs/safety.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.core.model import SafetyLevel, SafetyRule

# An emergency when the emergency rules together are at least this likely: a missed
# emergency costs far more than a needless "call your emergency number".
EMERGENCY_THRESHOLD = 0.5
# A referral only when no rule matched at all (context already read the rule's matches).
REFERRAL_THRESHOLD = 0.6
# An acute referral takes the net's best emergency rule when it is at least this likely.
ACUTE_RULE_MIN = 0.1


class Classifier(Protocol):
    """What the net needs of a trained model (bot/core/learned.py's LinearTextModel)."""

    @property
    def classes(self) -> tuple[str, ...]:
        """Return the class labels: safety rule ids and "ordinary"."""
        ...

    def probabilities(self, text: str) -> tuple[float, ...]:
        """Return the probability of each class for a normalised text, aligned with classes."""
        ...


@dataclass(frozen=True, slots=True)
class Opinion:
    """The net's view of one message."""

    level: SafetyLevel | None  # the level it would escalate to, or None
    best: dict[SafetyLevel, tuple[str, float]]  # per level, its most likely rule


class SafetyNet:
    """Read a classifier's probabilities as an escalation opinion."""

    def __init__(self, model: Classifier, rules: tuple[SafetyRule, ...]) -> None:
        self._model = model
        self._levels = {rule.id: rule.level for rule in rules}

    def opinion(self, text: str) -> Opinion:
        """Return which level the net would escalate this normalised text to, if any."""
        totals = dict.fromkeys(SafetyLevel, 0.0)
        best: dict[SafetyLevel, tuple[str, float]] = {}
        probabilities = self._model.probabilities(text)
        for label, p in zip(self._model.classes, probabilities, strict=True):
            level = self._levels.get(label)
            if level is None:
                continue
            totals[level] += p
            if p > best.get(level, ("", -1.0))[1]:
                best[level] = (label, p)
        if totals[SafetyLevel.EMERGENCY] >= EMERGENCY_THRESHOLD:
            return Opinion(SafetyLevel.EMERGENCY, best)
        if totals[SafetyLevel.REFERRAL] >= REFERRAL_THRESHOLD:
            return Opinion(SafetyLevel.REFERRAL, best)
        return Opinion(None, best)
