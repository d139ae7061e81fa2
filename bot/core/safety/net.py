"""The learned second net: a text classifier's opinion on which safety rule fits, if any.

It may escalate a message to safety and choose the rule; it never lowers what a rule
decided (see `bot/core/safety/check.py`). Thresholds are on the summed probability of a
level's rules, chosen by cross-validation on `content/training/` (docs/safety.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.core.learned import ORDINARY, level_masses
from bot.core.model import SafetyLevel, SafetyRule

# Bars chosen by 5-fold cross-validation on content/training only (bench/learned_cv.py,
# docs/safety.md): at 0.6 the net alone catches 95.6% of emergencies and routes 0.4% of
# answerable questions; 0.5 catches 97.5% but routes 2.2%. Referrals withhold the dose and
# near-misses ("my son is 26") are where the net over-routes: 0.7 (72.5% alone, 0% routed).
EMERGENCY_THRESHOLD = 0.6
# A referral only when no rule matched at all (context already read the rule's matches).
REFERRAL_THRESHOLD = 0.7
# An acute referral takes the net's best emergency rule when it is at least this likely.
ACUTE_RULE_MIN = 0.1
# A message a referral rule caught is still an emergency when the emergency rules together
# are at least this likely: a missed emergency that falls into a calm referral is the worst
# outcome ("I wrote letters to my kids and I'm ready to go" matches the children rule). No
# referral case of content/training reaches 0.3.
REFERRAL_EMERGENCY_BAR = 0.5


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
    mass: dict[SafetyLevel, float]  # per level, its rules' probabilities summed
    # the referral rules and their probabilities, most likely first (context may deny some)
    referrals: tuple[tuple[str, float], ...] = ()
    ordinary: float = 0.0  # the probability of no rule at all


class SafetyNet:
    """Read a classifier's probabilities as an escalation opinion."""

    def __init__(self, model: Classifier, rules: tuple[SafetyRule, ...]) -> None:
        self._model = model
        self._levels = {rule.id: rule.level for rule in rules}

    def opinion(self, text: str) -> Opinion:
        """Return which level the net would escalate this normalised text to, if any."""
        probabilities = self._model.probabilities(text)
        masses = level_masses(self._model.classes, probabilities, self._levels)
        totals = {level: masses.get(level, (0.0, ""))[0] for level in SafetyLevel}
        best = {SafetyLevel(level): (rule, p) for level, (_, rule, p) in masses.items()}
        if totals[SafetyLevel.EMERGENCY] >= EMERGENCY_THRESHOLD:
            return Opinion(SafetyLevel.EMERGENCY, best, totals)
        if totals[SafetyLevel.REFERRAL] >= REFERRAL_THRESHOLD:
            by_class = dict(zip(self._model.classes, probabilities, strict=True))
            referrals = sorted(
                (
                    (c, p)
                    for c, p in by_class.items()
                    if self._levels.get(c) == SafetyLevel.REFERRAL
                ),
                key=lambda pair: -pair[1],
            )
            ordinary = by_class.get(ORDINARY, 0.0)
            return Opinion(SafetyLevel.REFERRAL, best, totals, tuple(referrals), ordinary)
        return Opinion(None, best, totals)
