"""The learned models alone on the held-out sets (tests/data/): totals only, never for tuning.

Usage: python bench/learned_eval.py
Safety model, at each bar (bot/train/metrics.py: a level fires when its rules' probabilities
together reach the bar, emergencies first): on safety_holdout.yaml the share of emergencies
decided as emergencies, referrals as referrals, ordinary messages left alone, and how many
emergencies got only a referral; on questions_holdout.yaml the share of answerable questions
the net would route to safety. Question model: top-1 accuracy on answerable questions, and
on not-answered ones the share whose top class is no knowledge entry (refused) and, for the
off-topic group, the share whose top class is `oos`.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from bot.core import load_knowledge_base
from bot.core.learned import OFF_TOPIC, ORDINARY, LinearTextModel
from bot.core.learned_inputs import question_examples
from bot.core.loader import DEFAULT_CONTENT_DIR
from bot.core.text import normalize
from bot.core.training_data import load_training
from bot.core.yaml_source import read_yaml
from bot.train.metrics import THRESHOLDS, safety_level, tally_safety

ROOT = Path(__file__).resolve().parents[1]
SAFETY_SET = ROOT / "tests/data/safety_holdout.yaml"
QUESTION_SET = ROOT / "tests/data/questions_holdout.yaml"


def cases(path: Path) -> list[dict[str, str]]:
    """Return the cases of a labelled set as plain mappings."""
    return [dict(case) for case in read_yaml(path)["cases"]]


def share(right: int, total: int) -> str:
    """Format right/total as a count and a percentage."""
    return f"{right}/{total} = {right / total:.1%}" if total else "0/0"


def safety_lines(model: LinearTextModel, levels: Mapping[str, str]) -> list[str]:
    """Return the safety model's figures on both held-out sets, one line per bar."""
    held = cases(SAFETY_SET)
    truths = [ORDINARY if c["expect"] == "not_safety" else c["expect"] for c in held]
    answerable = [c["q"] for c in cases(QUESTION_SET) if c["expect"] == "answer"]
    lines = [f"safety model on {SAFETY_SET.name} ({len(held)}) and {QUESTION_SET.name}:"]
    for bar in THRESHOLDS:
        decided = [_level(model, c["q"], levels, bar) for c in held]
        tally = tally_safety(truths, decided, bar)
        routed = sum(_level(model, q, levels, bar) != ORDINARY for q in answerable)
        lines.append(
            f"  bar {bar}: emergencies {share(*tally.share('emergency', 'emergency'))}, "
            f"referrals {share(*tally.share('referral', 'referral'))}, "
            f"ordinary left alone {share(*tally.share(ORDINARY, ORDINARY))}, "
            f"emergency as referral only {tally.share('emergency', 'referral')[0]}; "
            f"answerable questions routed to safety {share(routed, len(answerable))}"
        )
    return lines


def _level(model: LinearTextModel, question: str, levels: Mapping[str, str], bar: float) -> str:
    probabilities = model.probabilities(normalize(question))
    return safety_level(model.classes, probabilities, levels, bar)[0]


def question_lines(
    model: LinearTextModel, entries: frozenset[str], seen: frozenset[str]
) -> list[str]:
    """Return the question model's figures on the held-out set, then on its unseen part.

    `seen` holds the model's training texts: a held-out question written the same way as a
    phrasing or a training case ("what is leaky gut") is no test of generalisation.
    """
    held = cases(QUESTION_SET)
    unseen = [c for c in held if normalize(c["q"]) not in seen]
    return [
        *_question_figures(model, entries, held, f"question model on {QUESTION_SET.name}:"),
        *_question_figures(model, entries, unseen, "  the same, on the questions not in training:"),
    ]


def _question_figures(
    model: LinearTextModel, entries: frozenset[str], held: list[dict[str, str]], title: str
) -> list[str]:
    top = {c["q"]: model.ranked(normalize(c["q"]))[0][0] for c in held}
    answer = [c for c in held if c["expect"] == "answer"]
    other = [c for c in held if c["expect"] == "no_answer"]
    off_topic = [c for c in other if c.get("group") == "out_of_scope"]
    right = sum(top[c["q"]] == c["entry"] for c in answer)
    refused = sum(top[c["q"]] not in entries for c in other)
    oos = sum(top[c["q"]] == OFF_TOPIC for c in off_topic)
    return [
        title,
        f"  answerable, top-1 entry right: {share(right, len(answer))}",
        f"  not answered, top class no entry (refused): {share(refused, len(other))}",
        f"  off-topic, top class oos: {share(oos, len(off_topic))}",
    ]


def main() -> int:
    """Print the held-out figures of both models."""
    kb = load_knowledge_base()
    if kb.models.safety is None or kb.models.questions is None:
        raise SystemExit("no models loaded: run `python -m bot train`")
    levels = {r.id: r.level for r in kb.safety}
    print("\n".join(safety_lines(kb.models.safety, levels)))
    entries = frozenset(e.id for e in kb.entries)
    seen = frozenset(e.text for e in question_examples(kb, load_training(kb, DEFAULT_CONTENT_DIR)))
    print("\n".join(question_lines(kb.models.questions, entries, seen)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
