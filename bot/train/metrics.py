"""Judge a model's probabilities the way the bot would use them (no scikit-learn here).

Shared by cross-validation (bot/train/cv.py) and the held-out figures (bench/learned_eval.py),
so both count the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.core.learned import OFF_TOPIC, ORDINARY, escalation

THRESHOLDS = (0.5, 0.6, 0.7)


def safety_level(
    classes: Sequence[str], probabilities: Sequence[float], levels: Mapping[str, str], bar: float
) -> tuple[str, str | None]:
    """Return (level, rule) the net would escalate to at `bar`, or (ORDINARY, None).

    A level fires when the rules of that level together reach the bar, emergencies first;
    its most probable rule gives the reply (bot.core.learned.escalation).
    """
    found = escalation(classes, probabilities, levels, ("emergency", "referral"), bar)
    return found if found is not None else (ORDINARY, None)


@dataclass
class SafetyTally:
    """Counts per true level of what the net decided, at one bar."""

    bar: float
    # (true level, decided level) -> count
    counts: dict[tuple[str, str], int]

    def share(self, truth: str, decided: str) -> tuple[int, int]:
        """Return (how many of `truth` were decided `decided`, how many of `truth`)."""
        total = sum(n for (t, _), n in self.counts.items() if t == truth)
        return self.counts.get((truth, decided), 0), total


def tally_safety(
    truths: Sequence[str],
    decided: Sequence[str],
    bar: float,
) -> SafetyTally:
    """Count (true level, decided level) pairs."""
    counts: dict[tuple[str, str], int] = {}
    for truth, level in zip(truths, decided, strict=True):
        counts[truth, level] = counts.get((truth, level), 0) + 1
    return SafetyTally(bar, counts)


def question_figures(
    truths: Sequence[str], predicted: Sequence[str], entries: frozenset[str]
) -> dict[str, tuple[int, int]]:
    """Return (right, total) for answerable top-1, no-answer refused and no-answer as oos.

    `truths` are entry ids for answerable questions, an uncovered id or OFF_TOPIC otherwise;
    "refused" counts a no-answer question whose top class is not a knowledge entry.
    """
    answer = [(t, p) for t, p in zip(truths, predicted, strict=True) if t in entries]
    other = [(t, p) for t, p in zip(truths, predicted, strict=True) if t not in entries]
    return {
        "answer_top1": (sum(t == p for t, p in answer), len(answer)),
        "no_answer_refused": (sum(p not in entries for _, p in other), len(other)),
        "no_answer_exact": (sum(t == p for t, p in other), len(other)),
        "oos_recall": (
            sum(p == OFF_TOPIC for t, p in other if t == OFF_TOPIC),
            sum(t == OFF_TOPIC for t, _ in other),
        ),
    }


def safety_summary(
    truths: Sequence[str], probabilities: Sequence[Mapping[str, float]], levels: Mapping[str, str]
) -> dict[str, float]:
    """Return the shares per bar: emergencies as emergencies, referrals, ordinary left alone.

    `truths` are levels (emergency, referral, ORDINARY); `levels` maps rule ids to levels.
    Also counts the worst miss: an emergency decided as only a referral.
    """
    figures: dict[str, float] = {}
    for bar in THRESHOLDS:
        decided = [safety_level(list(p), list(p.values()), levels, bar)[0] for p in probabilities]
        tally = tally_safety(truths, decided, bar)
        for truth, name in (("emergency", "em"), ("referral", "ref"), (ORDINARY, "ord")):
            right, total = tally.share(truth, truth)
            figures[f"{name}@{bar}"] = right / total if total else float("nan")
        figures[f"em_as_ref@{bar}"] = tally.share("emergency", "referral")[0]
    return figures
