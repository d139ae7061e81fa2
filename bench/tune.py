"""Grid-search the matcher's weights and the responder's thresholds on the tuning set.

Usage: python bench/tune.py [LABELLED.yaml ...]   (default: the dev and tuning sets)
Prints the best settings by the objective below, then how they do on the held-out set
(which never influences the choice).
Objective: the worse of in-scope accuracy (right entry answered) and out-of-scope accuracy
(not answered), ties broken by their mean.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path
from typing import Any

from bot.core import load_knowledge_base
from bot.core.evaluation import Case, Expectation, evaluate, load_cases
from bot.core.matcher import Weights
from bot.core.responder import Responder, Thresholds

ROOT = Path(__file__).resolve().parents[1]
GRID_WEIGHTS: dict[str, list[Any]] = {
    "unknown": [2.0, 3.0],
    "min_weight": [1.0, 1.5],
    "recall_share": [0.5, 0.6, 0.7],
}
GRID_THRESHOLDS: dict[str, list[Any]] = {
    "answer_min": [0.55, 0.6, 0.65],
    "answer_min_unknown": [0.6, 0.7, 0.8],
    "min_evidence_unknown": [1, 2, 3],
    "answer_margin": [0.01, 0.03],
}


def score(responder: Responder, cases: list[Case]) -> tuple[float, float, float]:
    """Return (objective, in-scope accuracy, out-of-scope accuracy)."""
    report = evaluate(responder, cases)
    ok_in, n_in = report.rate(Expectation.ANSWER)
    ok_out, n_out = report.rate(Expectation.NO_ANSWER)
    a, b = ok_in / n_in, ok_out / n_out
    return min(a, b) + (a + b) / 1000, a, b


def main() -> None:
    files = [Path(a) for a in sys.argv[1:]] or [
        ROOT / f"content/training/questions_{n}.yaml" for n in ("dev", "tune")
    ]
    tune = [case for f in files for case in load_cases(f)]
    holdout_path = ROOT / "tests/data/questions_holdout.yaml"
    holdout = load_cases(holdout_path) if holdout_path.exists() else []
    kb = load_knowledge_base()
    results = []
    for values in itertools.product(*GRID_WEIGHTS.values()):
        weights = Weights(**dict(zip(GRID_WEIGHTS, values, strict=True)))
        responder = Responder(kb, weights=weights)
        for tvalues in itertools.product(*GRID_THRESHOLDS.values()):
            responder.thresholds = Thresholds(**dict(zip(GRID_THRESHOLDS, tvalues, strict=True)))
            results.append((score(responder, tune), weights, responder.thresholds))
    results.sort(key=lambda r: -r[0][0])
    print("top settings on the tuning set (objective, in-scope, out-of-scope):")
    for (obj, a, b), weights, thresholds in results[:10]:
        print(f"  {obj:.3f} in={a:.3f} out={b:.3f} {weights} {thresholds}")
    (obj, a, b), weights, thresholds = results[0]
    default = Responder(kb)
    _, da, db = score(default, tune)
    print(f"shipped defaults: tuning in-scope={da:.3f} out-of-scope={db:.3f}")
    if holdout:
        for name, responder in (("best", Responder(kb, thresholds, weights)), ("shipped", default)):
            _, ha, hb = score(responder, holdout)
            print(f"{name} on held-out: in-scope={ha:.3f} out-of-scope={hb:.3f}")


if __name__ == "__main__":
    main()
