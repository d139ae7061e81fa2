"""The model file: plain JSON, read strictly, written byte for byte the same from the same model.

Layout (format 1), one top-level key a line::

    classes        ["ordinary", "self_harm", ...]: the labels, in score order
    coefficients   {"classes": [[k, ...], ...], "values": [[c, ...], ...]}: for each feature,
                   in feature order, the classes whose coefficient is not zero and those
                   coefficients
    format         1
    inputs_sha256  hash of the normalised training examples and the parameters
    intercepts     one number per class
    name           "safety", "questions", ...
    params         the training parameters (bot/train/params.py)
    vectorizers    [{"analyzer": "char_wb" | "word", "ngram_range": [low, high],
                     "terms": [...], "idf": [...]}, ...]: features are numbered across the
                   vectorizers in order, as scikit-learn's FeatureUnion stacks them
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.core.errors import ContentError, Problem

FORMAT = 1
ANALYZER_NAMES = ("char_wb", "word")
_KEYS = frozenset(
    {"classes", "coefficients", "format", "inputs_sha256", "intercepts", "name", "params"}
    | {"vectorizers"}
)
_MAX_N = 10  # longer n-grams are a mistake, not a model


@dataclass(frozen=True, slots=True)
class ModelParts:
    """A checked model document. Feature numbers run across the vectorizers."""

    name: str
    classes: tuple[str, ...]
    vectorizers: tuple[
        tuple[str, tuple[int, int], Mapping[str, int]], ...
    ]  # analyzer, range, index
    idf: tuple[float, ...]  # per feature
    row_classes: tuple[tuple[int, ...], ...]  # per feature: classes with a coefficient
    row_values: tuple[tuple[float, ...], ...]  # per feature: those coefficients
    intercepts: tuple[float, ...]
    inputs_sha256: str
    params: Mapping[str, object]


def read_json(path: Path) -> object:
    """Read a JSON file; raise ContentError naming the file when it cannot be read or parsed."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([Problem(path, None, None, f"cannot read file: {exc}")]) from exc
    except json.JSONDecodeError as exc:
        raise ContentError([Problem(path, exc.lineno, None, f"invalid JSON: {exc.msg}")]) from exc


def dumps(document: Mapping[str, object]) -> str:
    """Serialise a model document: sorted keys, one top-level key a line, shortest floats."""
    lines = [
        f"{json.dumps(key)}: {json.dumps(document[key], sort_keys=True, separators=(',', ':'))}"
        for key in sorted(document)
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def parse_model(data: object) -> ModelParts:
    """Check a parsed model document; raise ValueError saying what is wrong."""
    doc = _mapping(data, "the file")
    missing, unknown = sorted(_KEYS - set(doc)), sorted(set(doc) - _KEYS)
    if missing or unknown:
        raise ValueError(f"missing keys {missing}, unknown keys {unknown}")
    if doc["format"] != FORMAT:
        raise ValueError(f"'format' must be {FORMAT}, got {doc['format']!r}")
    classes = _strings(doc["classes"], "classes")
    if len(classes) < 2:
        raise ValueError("'classes' must name at least two classes")
    intercepts = _floats(doc["intercepts"], "intercepts")
    if len(intercepts) != len(classes):
        raise ValueError("'intercepts' must have one value per class")
    blocks = _list(doc["vectorizers"], "vectorizers")
    if not blocks:
        raise ValueError("'vectorizers' must not be empty")
    idf: list[float] = []
    vectorizers = tuple(_vectorizer(block, n, idf) for n, block in enumerate(blocks))
    row_classes, row_values = _coefficients(doc["coefficients"], len(idf), len(classes))
    return ModelParts(
        name=_string(doc["name"], "name"),
        classes=classes,
        vectorizers=vectorizers,
        idf=tuple(idf),
        row_classes=row_classes,
        row_values=row_values,
        intercepts=intercepts,
        inputs_sha256=_string(doc["inputs_sha256"], "inputs_sha256"),
        params=MappingProxyType(_mapping(doc["params"], "params")),
    )


def _vectorizer(
    data: object, number: int, idf: list[float]
) -> tuple[str, tuple[int, int], Mapping[str, int]]:
    """Check one vectorizer, append its idf to `idf` and return it with its term -> feature."""
    where = f"vectorizers[{number}]"
    block = _mapping(data, where)
    analyzer = block.get("analyzer")
    if analyzer not in ANALYZER_NAMES:
        raise ValueError(f"{where}.analyzer must be one of {', '.join(ANALYZER_NAMES)}")
    pair = _list(block.get("ngram_range"), f"{where}.ngram_range")
    if not (len(pair) == 2 and _ints(pair, _MAX_N + 1) and 1 <= pair[0] <= pair[1]):
        raise ValueError(f"{where}.ngram_range must be [low, high], 1 <= low <= high <= {_MAX_N}")
    terms = _strings(block.get("terms"), f"{where}.terms")
    values = _floats(block.get("idf"), f"{where}.idf")
    if len(values) != len(terms) or (values and min(values) <= 0.0):
        raise ValueError(f"{where}.idf must hold one positive number per term")
    index = dict(zip(terms, range(len(idf), len(idf) + len(terms)), strict=True))
    idf.extend(values)
    return str(analyzer), (int(pair[0]), int(pair[1])), MappingProxyType(index)


def _coefficients(
    data: object, features: int, classes: int
) -> tuple[tuple[tuple[int, ...], ...], tuple[tuple[float, ...], ...]]:
    """Check the per-feature coefficient rows; return (classes, values) per feature."""
    block = _mapping(data, "coefficients")
    columns = _list(block.get("classes"), "coefficients.classes")
    values = _list(block.get("values"), "coefficients.values")
    if not len(columns) == len(values) == features:
        raise ValueError("coefficients.classes and .values must have one row per feature")
    # Checked flat, in C-level passes: a model has tens of thousands of coefficients.
    if not set(map(type, columns)) | set(map(type, values)) <= {list}:
        raise ValueError("coefficients.classes and .values must hold one list per feature")
    if list(map(len, columns)) != list(map(len, values)):
        raise ValueError("coefficients: one value per class in every row")
    flat = list(chain.from_iterable(columns))
    if not _ints(flat, classes) or sum(map(len, map(set, columns))) != len(flat):
        raise ValueError("coefficients.classes must hold distinct class numbers in every row")
    _floats(list(chain.from_iterable(values)), "coefficients.values")
    # Numbers stay as JSON gave them (an int coefficient scores like its float).
    return tuple(map(tuple, columns)), tuple(map(tuple, values))


def _ints(values: list[Any], bound: int) -> bool:
    """Tell whether every value is an int in 0..bound-1 (a bool is no int here)."""
    return set(map(type, values)) <= {int} and (
        not values or 0 <= min(values) <= max(values) < bound
    )


def _mapping(value: object, where: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise ValueError(f"{where} must be a JSON object")


def _list(value: object, where: str) -> list[Any]:
    if isinstance(value, list):
        return value
    raise ValueError(f"'{where}' must be a list")


def _string(value: object, where: str) -> str:
    if isinstance(value, str) and value:
        return value
    raise ValueError(f"'{where}' must be a non-empty string")


def _strings(value: object, where: str) -> tuple[str, ...]:
    """Return a list of distinct non-empty strings."""
    items = _list(value, where)
    if not set(map(type, items)) <= {str} or not all(items):
        raise ValueError(f"'{where}' must hold non-empty strings")
    if len(set(items)) != len(items):
        raise ValueError(f"'{where}' holds a value twice")
    return tuple(items)


def _floats(value: object, where: str) -> tuple[float, ...]:
    items = _list(value, where)
    if not set(map(type, items)) <= {int, float} or not all(map(math.isfinite, items)):
        raise ValueError(f"'{where}' must hold finite numbers")
    return tuple(map(float, items))
