"""Fit one model with scikit-learn and export it as the plain document bot/core/learned.py reads.

The fitted pipeline is edited before export so that what scikit-learn scores is exactly what
the file holds: coefficients are centred per feature (softmax ignores a constant added to
every class, so probabilities do not change), those under `prune` are set to zero, and every
number is rounded to a fixed number of significant digits (the same file from the same
examples, whatever the last bits of the solver).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from threadpoolctl import threadpool_limits

from bot.core.learned_format import FORMAT

# lbfgs is deterministic; one thread keeps the order of every sum the same run to run.
MAX_ITER = 5000
TOL = 1e-6
COEF_DIGITS = 6
IDF_DIGITS = 10


@dataclass(frozen=True, slots=True)
class Fitted:
    """A fitted pipeline: the two vectorizers, joined, and the classifier."""

    union: FeatureUnion
    classifier: LogisticRegression

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Return scikit-learn's probabilities, one row per text, columns in class order."""
        return np.asarray(self.classifier.predict_proba(self.union.transform(list(texts))))

    @property
    def classes(self) -> tuple[str, ...]:
        """Return the class labels in column order."""
        return tuple(str(c) for c in self.classifier.classes_)


def fit(texts: Sequence[str], labels: Sequence[str], params: Mapping[str, Any]) -> Fitted:
    """Fit the union of vectorizers and the classifier, then prune and round both."""
    if len(set(labels)) < 3:
        raise ValueError("a model needs at least three classes (multinomial softmax)")
    union = FeatureUnion(
        [
            ("char", _vectorizer("char_wb", params["char_ngram_range"], params["min_df"])),
            ("word", _vectorizer("word", params["word_ngram_range"], params["min_df"])),
        ]
    )
    classifier = LogisticRegression(
        C=params["C"], class_weight=params["class_weight"], max_iter=MAX_ITER, tol=TOL
    )
    with threadpool_limits(limits=1):
        matrix = union.fit_transform(list(texts))
        classifier.fit(matrix, list(labels))
    for _, vectorizer in union.transformer_list:
        vectorizer.idf_ = _round(vectorizer.idf_, IDF_DIGITS)
    idf = np.concatenate([v.idf_ for _, v in union.transformer_list])
    coef = classifier.coef_ - np.median(classifier.coef_, axis=0, keepdims=True)
    # A coefficient's typical effect on a logit is idf * |coef| over a message's norm (its
    # tf-idf weight is tf * idf / norm): frequent n-grams, with a low idf, need a larger
    # coefficient to matter. Under `prune` it is dropped.
    coef[np.abs(coef) * idf < params["prune"]] = 0.0
    classifier.coef_ = _round(coef, COEF_DIGITS)
    classifier.intercept_ = _round(classifier.intercept_, COEF_DIGITS)
    return Fitted(union, classifier)


def _vectorizer(analyzer: str, ngram_range: Sequence[int], min_df: int) -> TfidfVectorizer:
    # The text is already normalised (bot.core.text.normalize): no lowercasing or accent
    # stripping here, so training and serving see the same characters.
    return TfidfVectorizer(
        analyzer=analyzer,
        ngram_range=(int(ngram_range[0]), int(ngram_range[1])),
        min_df=min_df,
        lowercase=False,
        strip_accents=None,
        sublinear_tf=True,
        dtype=np.float64,
    )


def _round(values: np.ndarray, digits: int) -> np.ndarray:
    rounded: np.ndarray = np.vectorize(lambda v: float(f"{v:.{digits}g}"), otypes=[np.float64])(
        values
    )
    return rounded


def export(
    fitted: Fitted, name: str, inputs_sha256: str, params: Mapping[str, Any]
) -> dict[str, Any]:
    """Return the model document (bot/core/learned_format.py) of a fitted pipeline."""
    vectorizers = []
    for _, vectorizer in fitted.union.transformer_list:
        vectorizers.append(
            {
                "analyzer": vectorizer.analyzer,
                "ngram_range": list(vectorizer.ngram_range),
                "terms": [str(t) for t in vectorizer.get_feature_names_out()],
                "idf": [float(v) for v in vectorizer.idf_],
            }
        )
    coef = fitted.classifier.coef_
    return {
        "format": FORMAT,
        "name": name,
        "classes": list(fitted.classes),
        "inputs_sha256": inputs_sha256,
        "params": dict(params),
        "vectorizers": vectorizers,
        "intercepts": [float(v) for v in fitted.classifier.intercept_],
        "coefficients": {
            "classes": [[int(k) for k in np.flatnonzero(column)] for column in coef.T],
            "values": [[float(v) for v in column[column != 0.0]] for column in coef.T],
        },
    }
