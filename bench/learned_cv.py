"""Choose the learned models' parameters: stratified 5-fold CV on content/training only.

Usage: python bench/learned_cv.py safety|questions [--grid]
Without --grid, reports the parameters in bot/train/params.py. Each line: the CV figures,
then the cost of the model trained on everything: file size, load time (CPU, in this
process) and warm scoring time of a ~30-word message (median of per-message minima).
Held-out sets (tests/data/) are never read.
"""

from __future__ import annotations

import itertools
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bot.core.learned import LinearTextModel
from bot.core.learned_format import dumps, parse_model
from bot.core.learned_inputs import EXAMPLES
from bot.core.loader import load_knowledge_base
from bot.core.training_data import load_training
from bot.train.cv import out_of_fold
from bot.train.fit import export, fit
from bot.train.metrics import question_figures, safety_summary
from bot.train.params import PARAMS

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
GRID: dict[str, list[Any]] = {
    "char_ngram_range": [(2, 5), (3, 5)],
    "C": [3.0, 10.0, 30.0],
    "prune": [0.2, 0.5, 1.0],
}


def cost(name: str, params: dict[str, Any], examples: Any) -> dict[str, float]:
    """Train on everything; return file size (MB), load CPU (ms) and scoring time (us)."""
    fitted = fit([e.text for e in examples], [e.label for e in examples], params)
    text = dumps(export(fitted, name, "0" * 64, params))
    start = time.process_time()
    parts = parse_model(json.loads(text))
    model = LinearTextModel(parts.name, parts.classes, parts.inputs_sha256, parts.params, parts)
    load = time.process_time() - start
    long = [e.text for e in examples if e.labelled and 25 <= len(e.text.split()) <= 35][:40]
    best = []
    for text_ in long:
        runs = []
        for _ in range(10):
            t = time.perf_counter()
            model.probabilities(text_)
            runs.append(time.perf_counter() - t)
        best.append(min(runs))
    return {"MB": len(text) / 1e6, "load_ms": load * 1e3, "score_us": statistics.median(best) * 1e6}


def figures(name: str, params: dict[str, Any]) -> dict[str, float]:
    """Return the CV figures of one parameter set."""
    kb = load_knowledge_base(CONTENT, models=False)
    examples = EXAMPLES[name](kb, load_training(kb, CONTENT))
    oof = out_of_fold(examples, params)
    found = {"exact": sum(max(p, key=p.__getitem__) == t for t, p in oof) / len(oof)}
    if name == "safety":
        levels = {r.id: r.level for r in kb.safety}
        truths = [levels.get(t, "ordinary") for t, _ in oof]
        found |= safety_summary(truths, [p for _, p in oof], levels)
    else:
        entries = frozenset(e.id for e in kb.entries)
        predicted = [max(p, key=p.__getitem__) for _, p in oof]
        shares = question_figures([t for t, _ in oof], predicted, entries)
        found |= {k: right / total for k, (right, total) in shares.items() if total}
    return found | cost(name, params, examples)


def main(argv: list[str]) -> int:
    """Print CV figures for the shipped parameters or for every point of the grid."""
    name = argv[0] if argv else "safety"
    base = dict(PARAMS[name])
    grid = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    for change in grid if "--grid" in argv else [{}]:
        params = base | change
        shown = " ".join(f"{k}={v}" for k, v in change.items()) or "shipped"
        result = " ".join(f"{k}={v:.3f}" for k, v in figures(name, params).items())
        print(f"{name} {shown}: {result}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
