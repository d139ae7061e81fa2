"""Stratified k-fold cross-validation over the labelled cases in content/training.

Each fold holds out a share of the labelled cases; the knowledge base's phrasings are always
trained on (they are the content itself, not a sample of what users write). Held-out sets in
tests/data/ never enter here.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold

from bot.core.learned_inputs import Example
from bot.train.fit import fit

FOLDS = 5
SEED = 0  # the split only; training itself has no randomness


def out_of_fold(
    examples: Sequence[Example], params: Mapping[str, Any], folds: int = FOLDS
) -> list[tuple[str, dict[str, float]]]:
    """Return (true class, probabilities by class) of every labelled case, out of fold."""
    held = [i for i, e in enumerate(examples) if e.labelled]
    always = [e for e in examples if not e.labelled]
    labels = [examples[i].label for i in held]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    found: dict[int, dict[str, float]] = {}
    with warnings.catch_warnings():
        # Some classes have fewer cases than folds: their cases still get predicted.
        warnings.filterwarnings("ignore", message="The least populated class")
        splits = list(splitter.split(np.zeros(len(held)), labels))
    for train, test in splits:
        chosen = [examples[held[i]] for i in train] + always
        fitted = fit([e.text for e in chosen], [e.label for e in chosen], params)
        rows = fitted.predict_proba([examples[held[i]].text for i in test])
        for i, row in zip(test, rows, strict=True):
            found[i] = dict(zip(fitted.classes, (float(p) for p in row), strict=True))
    return [(labels[i], found[i]) for i in range(len(held))]
