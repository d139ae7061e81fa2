"""Score text with a linear model exported from scikit-learn to plain JSON (no scikit-learn here).

The model is what `bot/train/fit.py` fits: a FeatureUnion of two TfidfVectorizers (character
n-grams with `char_wb` and word n-grams with the default token pattern; sublinear tf, smoothed
idf, l2 norm per vectorizer) feeding a multinomial LogisticRegression. The featurizers below
are scikit-learn's, the sums are its sums (bot/core/learned_scoring.py), and
tests/unit/test_learned_parity.py checks the probabilities against `predict_proba` to 1e-9.
Input is `bot.core.text.normalize`'s output on both sides (the vectorizers are fitted with
lowercase=False and no accent stripping).
"""

from __future__ import annotations

import gc
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from bot.core.errors import ContentError, Problem
from bot.core.learned_format import ModelParts, parse_model, read_json
from bot.core.learned_scoring import CharScorer, Weights, WordScorer

MODELS_DIR = "models"  # under content/: one `<name>.json` per model, written by `bot train`
ORDINARY = "ordinary"  # the safety model's class for a message no rule should catch
OFF_TOPIC = "oos"  # the question model's class for a question about something else

# scikit-learn's own patterns: runs of whitespace squeezed before char n-grams, and the
# default token_pattern (two or more word characters) for word n-grams.
_WHITE_SPACES = re.compile(r"\s\s+")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Return scikit-learn's `char_wb` n-grams: inside words, each word padded with spaces."""
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            if size <= n:  # a short word counts once, whole, then no longer n-grams
                grams.append(padded)
                break
            grams += [padded[i : i + n] for i in range(size - n + 1)]
    return grams


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    """Return scikit-learn's word n-grams over its default token pattern."""
    tokens = _TOKEN.findall(text)
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


ANALYZERS: Mapping[str, Callable[[str, int, int], list[str]]] = MappingProxyType(
    {"char_wb": char_wb_ngrams, "word": word_ngrams}
)


@dataclass(frozen=True, slots=True)
class LinearTextModel:
    """A loaded model: its classes and what scores them. Immutable."""

    name: str
    classes: tuple[str, ...]
    inputs_sha256: str  # of the examples and parameters it was trained on
    params: Mapping[str, object]
    parts: ModelParts = field(repr=False, compare=False)
    _scorers: tuple[CharScorer | WordScorer, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = self.parts
        weights = Weights(parts.idf, parts.row_classes, parts.row_values, len(parts.classes))
        scorers: list[CharScorer | WordScorer] = []
        for analyzer, (low, high), index in parts.vectorizers:
            grams = _bind(ANALYZERS[analyzer], low, high)
            kind = CharScorer if analyzer == "char_wb" else WordScorer
            scorers.append(kind(grams, index, weights))
        object.__setattr__(self, "_scorers", tuple(scorers))

    @classmethod
    def from_file(cls, path: Path) -> LinearTextModel:
        """Load a model file; raise ContentError naming the file and what is wrong."""
        try:
            with _no_collection():
                parts = parse_model(read_json(path))
        except ValueError as exc:
            raise ContentError([Problem(path, None, None, f"malformed model file: {exc}")]) from exc
        return cls(parts.name, parts.classes, parts.inputs_sha256, parts.params, parts)

    def scores(self, text: str) -> tuple[float, ...]:
        """Return coef·x + intercept for every class (the logits), aligned with `classes`."""
        scores = list(self.parts.intercepts)
        words = _WHITE_SPACES.sub(" ", text).split()
        for scorer in self._scorers:
            if isinstance(scorer, CharScorer):
                scorer.add(words, scores)
            else:
                scorer.add(text, scores)
        return tuple(scores)

    def probabilities(self, text: str) -> tuple[float, ...]:
        """Return the probability of each class, aligned with `classes` (softmax of scores)."""
        scores = self.scores(text)
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return tuple(e / total for e in exps)

    def ranked(self, text: str) -> tuple[tuple[str, float], ...]:
        """Return (class, probability) pairs, most probable first (ties in class order)."""
        pairs = zip(self.classes, self.probabilities(text), strict=True)
        return tuple(sorted(pairs, key=lambda pair: -pair[1]))


@contextmanager
def _no_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a model file is read.

    A model is some 100,000 small lists and tuples, none in a cycle; each collection pass
    walks all of them again, which made loading about a third slower (bench/learned_cost.py).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def level_masses(
    classes: Sequence[str], probabilities: Sequence[float], levels: Mapping[str, str]
) -> dict[str, tuple[float, str, float]]:
    """Return, per level: its classes' probabilities summed, its most probable class and p.

    `levels` maps each safety class to its level (ORDINARY has none and is left out).
    """
    found: dict[str, list[tuple[float, str]]] = {}
    for c, p in zip(classes, probabilities, strict=True):
        if (level := levels.get(c)) is not None:
            found.setdefault(level, []).append((p, c))
    masses = {}
    for level, mass in found.items():
        p, c = max(mass)
        masses[level] = (sum(q for q, _ in mass), c, p)
    return masses


def escalation(
    classes: Sequence[str],
    probabilities: Sequence[float],
    levels: Mapping[str, str],
    order: Sequence[str],
    bar: float,
) -> tuple[str, str] | None:
    """Return (level, rule) of the first level in `order` whose rules together reach `bar`.

    `levels` maps each safety class to its level (ORDINARY has none). The rule is that
    level's most probable class. None: no level reaches the bar.
    """
    masses = level_masses(classes, probabilities, levels)
    for level in order:
        if level in masses and masses[level][0] >= bar:
            return level, masses[level][1]
    return None


def _bind(
    analyzer: Callable[[str, int, int], list[str]], low: int, high: int
) -> Callable[[str], list[str]]:
    return lambda text: analyzer(text, low, high)


@dataclass(frozen=True, slots=True)
class Models:
    """The learned models shipped with the content (None only in hand-built test bases)."""

    safety: LinearTextModel | None = None
    questions: LinearTextModel | None = None


def load_models(content_dir: Path, known: Mapping[str, frozenset[str]]) -> Models:
    """Load every model file; its classes must be among `known[name]` (the content's ids).

    Raise ContentError naming each missing or malformed file.
    """
    found: list[Problem] = []
    loaded: dict[str, LinearTextModel] = {}
    for name in Models.__dataclass_fields__:
        path = content_dir / MODELS_DIR / f"{name}.json"
        if not path.is_file():
            found.append(Problem(path, None, None, "missing; run `python -m bot train`"))
            continue
        try:
            model = LinearTextModel.from_file(path)
        except ContentError as exc:
            found += exc.problems
            continue
        unknown = sorted(set(model.classes) - known[name])
        if model.name != name or unknown:
            reason = f"unknown classes {unknown}" if unknown else f"holds model '{model.name}'"
            found.append(Problem(path, None, None, f"{reason}; run `python -m bot train`"))
        loaded[name] = model
    if found:
        raise ContentError(found)
    return Models(**loaded)
