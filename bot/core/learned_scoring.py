"""The fast path of bot/core/learned.py: the same sums as scikit-learn, in a cheaper order.

For one vectorizer, scikit-learn computes logits += sum_f g(c_f) idf_f coef_f / norm with
g(c) = 1 + ln c and norm^2 = sum_f (g(c_f) idf_f)^2. Character n-grams (`char_wb`) never
cross a word, so both sums split into a part per word, which is cached, plus a correction
for each n-gram seen more than once in the message (where g(c) differs from c):

    sum_f g(c_f) a_f     = sum_words V_w + sum_{c_f > 1} (g(c_f) - c_f) a_f
    sum_f (g(c_f) i_f)^2 = sum_words Q_w + sum_{c_f > 1} (g(c_f)^2 - c_f) i_f^2

with a_f = idf_f coef_f, V_w = sum of a_f over the word's n-grams and Q_w = sum of idf_f^2.
The reordering changes only rounding (the parity test holds it to 1e-9). Word n-grams cross
words, so that vectorizer is summed directly, in scikit-learn's order.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

# Distinct words remembered per model: the content's own vocabulary is a few thousand words;
# an unseen word costs only its own n-grams.
WORD_CACHE = 8192

_Part = tuple[tuple[int, ...], tuple[float, ...], float]


# Most n-grams occur once or a few times in a message: their tf comes from a table.
_TABLE = (0.0, *(1.0 + math.log(c) for c in range(1, 64)))


def _g(count: int) -> float:
    """Return scikit-learn's sublinear tf, 1 + ln(count)."""
    return _TABLE[count] if count < len(_TABLE) else 1.0 + math.log(count)


@dataclass(frozen=True, slots=True)
class Weights:
    """What every scorer of one model reads: idf and coefficient rows per feature."""

    idf: tuple[float, ...]
    row_classes: tuple[tuple[int, ...], ...]
    row_values: tuple[tuple[float, ...], ...]
    size: int  # number of classes


class CharScorer:
    """Add one `char_wb` vectorizer's share of the logits, word by word with a cache."""

    __slots__ = ("_grams", "_index", "_part", "_weights")

    def __init__(
        self, grams: Callable[[str], list[str]], index: Mapping[str, int], weights: Weights
    ) -> None:
        self._grams, self._index, self._weights = grams, index, weights
        self._part: Callable[[str], _Part] = lru_cache(maxsize=WORD_CACHE)(self._word)

    def _word(self, word: str) -> _Part:
        """Return a word's features (repeats kept), its V_w and its Q_w."""
        found = map(self._index.get, self._grams(word))
        features = tuple(f for f in found if f is not None)
        w = self._weights
        logits = [0.0] * w.size
        square = 0.0
        for f in features:
            idf = w.idf[f]
            square += idf * idf
            for k, c in zip(w.row_classes[f], w.row_values[f], strict=True):
                logits[k] += idf * c
        return features, tuple(logits), square

    def add(self, words: Sequence[str], scores: list[float]) -> None:
        """Add this vectorizer's logits for the message's words to `scores`."""
        parts = list(map(self._part, words))
        counts = Counter(chain.from_iterable([p[0] for p in parts]))
        if not counts:
            return
        logits = [sum(column) for column in zip(*[p[1] for p in parts], strict=True)]
        square = sum([p[2] for p in parts])
        w = self._weights
        idf, row_classes, row_values, table = w.idf, w.row_classes, w.row_values, _TABLE
        for f, count in [item for item in counts.items() if item[1] > 1]:
            g = table[count] if count < len(table) else _g(count)
            i = idf[f]
            square += (g * g - count) * i * i
            delta = (g - count) * i
            for k, c in zip(row_classes[f], row_values[f]):  # noqa: B905 (same length)
                logits[k] += delta * c
        norm = math.sqrt(square)
        for k, value in enumerate(logits):
            scores[k] += value / norm


class WordScorer:
    """Add one word n-gram vectorizer's share of the logits, feature by feature."""

    __slots__ = ("_grams", "_index", "_weights")

    def __init__(
        self, grams: Callable[[str], list[str]], index: Mapping[str, int], weights: Weights
    ) -> None:
        self._grams, self._index, self._weights = grams, index, weights

    def add(self, text: str, scores: list[float]) -> None:
        """Add this vectorizer's logits for `text` to `scores`."""
        w = self._weights
        counts = Counter(map(self._index.get, self._grams(text)))
        idf, table, size = w.idf, _TABLE, len(_TABLE)
        weighted = [
            (f, (table[c] if c < size else _g(c)) * idf[f])
            for f, c in counts.items()
            if f is not None
        ]
        if not weighted:
            return
        norm = math.sqrt(sum([x * x for _, x in weighted]))
        row_classes, row_values = w.row_classes, w.row_values
        for f, x in weighted:
            weight = x / norm
            for k, c in zip(row_classes[f], row_values[f]):  # noqa: B905 (same length)
                scores[k] += weight * c
