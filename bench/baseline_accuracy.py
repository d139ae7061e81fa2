"""Accuracy of the obvious baseline on the labelled sets, for docs/matching.md.

Usage: python bench/baseline_accuracy.py
Baseline: rapidfuzz.process.extractOne(question, phrasings, scorer=WRatio,
processor=default_process) over every entry phrasing; answer when the score reaches a
cutoff. Printed for several cutoffs, beside the shipped matcher on the same questions.
"""

from __future__ import annotations

from pathlib import Path

from rapidfuzz import fuzz, process, utils

from bot.core import load_knowledge_base
from bot.core.evaluation import Expectation, evaluate, load_cases
from bot.core.responder import Responder

ROOT = Path(__file__).resolve().parents[1]
SETS = ("holdout", "dev", "dev2", "dev3", "tune")
CUTOFFS = (70, 80, 85, 90, 95)


def main() -> None:
    """Print in-scope and out-of-scope accuracy of the baseline and of the shipped matcher."""
    kb = load_knowledge_base()
    choices = [(p, e.id) for e in kb.entries for p in e.phrasings]
    texts = [p for p, _ in choices]
    responder = Responder(kb)
    for name in SETS:
        folder = "tests/data" if name == "holdout" else "content/training"
        cases = load_cases(ROOT / folder / f"questions_{name}.yaml")
        inside = [c for c in cases if c.expect is Expectation.ANSWER]
        outside = [c for c in cases if c.expect is Expectation.NO_ANSWER]
        best = [
            process.extractOne(
                c.question, texts, scorer=fuzz.WRatio, processor=utils.default_process
            )
            for c in cases
        ]
        found = {
            c.question: (choices[b[2]][1], b[1]) for c, b in zip(cases, best, strict=True) if b
        }
        print(f"== {name}: {len(inside)} in-scope, {len(outside)} out-of-scope")
        for cutoff in CUTOFFS:
            right = sum(
                found.get(c.question, ("", 0))[0] == c.entry and found[c.question][1] >= cutoff
                for c in inside
            )
            refused = sum(found.get(c.question, ("", 0))[1] < cutoff for c in outside)
            print(
                f"  WRatio cutoff {cutoff}: in-scope right {right / len(inside):.1%}, "
                f"out-of-scope refused {refused / len(outside):.1%}"
            )
        report = evaluate(responder, cases)
        ok_in, n_in = report.rate(Expectation.ANSWER)
        ok_out, n_out = report.rate(Expectation.NO_ANSWER)
        print(
            f"  shipped matcher:   in-scope right {ok_in / n_in:.1%}, "
            f"out-of-scope refused {ok_out / n_out:.1%}"
        )


if __name__ == "__main__":
    main()
