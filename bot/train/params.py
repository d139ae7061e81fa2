"""The training parameters of each learned model, chosen by cross-validation (no scikit-learn).

Kept apart from the training code so `check` can tell a stale model file without importing
scikit-learn: a model file records the hash of its examples and of these parameters.
Figures behind each choice: docs/safety.md, "The learned net" (bench/learned_cv.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Bump when the training procedure changes what it writes for the same examples.
PROCEDURE = 1

PARAMS: Mapping[str, Mapping[str, object]] = MappingProxyType(
    {
        "safety": MappingProxyType(
            {
                "procedure": PROCEDURE,
                "char_ngram_range": (2, 5),
                "word_ngram_range": (1, 2),
                "min_df": 2,
                "C": 10.0,
                "class_weight": "balanced",
                "prune": 0.5,
            }
        ),
        "questions": MappingProxyType(
            {
                "procedure": PROCEDURE,
                "char_ngram_range": (2, 5),
                "word_ngram_range": (1, 2),
                "min_df": 2,
                "C": 10.0,
                "class_weight": "balanced",
                "prune": 0.5,
            }
        ),
    }
)
