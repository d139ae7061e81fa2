"""What each learned model is trained on, and the hash that tells a stale model file.

Both models train on normalised text (`bot.core.text.normalize`), so the hash covers the
normalised examples: a change to a training file, a phrasing or the normaliser itself that
changes what a model would learn makes `check` ask for `python -m bot train`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from bot.core.errors import Problem
from bot.core.learned import MODELS_DIR, ORDINARY, LinearTextModel
from bot.core.model import KnowledgeBase
from bot.core.text import normalize
from bot.core.training_data import LabelledCase, question_label, safety_label


@dataclass(frozen=True, slots=True)
class Example:
    """One training message (normalised) and its class.

    `labelled` marks a case from content/training (cross-validation holds these out in
    turn); phrasings from the knowledge base are always trained on.
    """

    text: str
    label: str
    labelled: bool


def safety_examples(kb: KnowledgeBase, cases: tuple[LabelledCase, ...]) -> tuple[Example, ...]:
    """Return the safety model's examples: every case, and every phrasing as ordinary."""
    labelled = [Example(normalize(c.question), safety_label(c), True) for c in cases]
    phrasings = [p for item in kb.matchable for p in item.phrasings]
    phrasings += [p for item in kb.smalltalk for p in item.phrasings]
    phrased = [Example(normalize(p), ORDINARY, False) for p in phrasings]
    return _unique(labelled + phrased)


def question_examples(kb: KnowledgeBase, cases: tuple[LabelledCase, ...]) -> tuple[Example, ...]:
    """Return the question model's examples: labelled questions, then entry/topic phrasings."""
    labelled = [
        Example(normalize(c.question), label, True)
        for c in cases
        if (label := question_label(c)) is not None
    ]
    phrased = [
        Example(normalize(p), item.id, False) for item in kb.matchable for p in item.phrasings
    ]
    return _unique(labelled + phrased)


EXAMPLES: Mapping[str, Callable[[KnowledgeBase, tuple[LabelledCase, ...]], tuple[Example, ...]]] = (
    MappingProxyType({"safety": safety_examples, "questions": question_examples})
)


def _unique(examples: list[Example]) -> tuple[Example, ...]:
    """Keep the first of each text: one text, one class, and no copy across CV folds.

    A labelled case comes first, so it decides over a phrasing with the same text.
    """
    seen: dict[str, Example] = {}
    for example in examples:
        seen.setdefault(example.text, example)
    return tuple(seen.values())


def inputs_sha256(examples: tuple[Example, ...], params: Mapping[str, object]) -> str:
    """Return the hash of a model's training inputs: its examples, in order, and parameters."""
    document = {
        "examples": [[e.text, e.label, e.labelled] for e in examples],
        "params": dict(params),
    }
    text = json.dumps(document, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def stale_models(
    kb: KnowledgeBase,
    cases: tuple[LabelledCase, ...],
    content_dir: Path,
    params: Mapping[str, Mapping[str, object]],
) -> list[Problem]:
    """Return a problem for every model file not trained on the current content and params."""
    found = []
    for name, build in EXAMPLES.items():
        path = content_dir / MODELS_DIR / f"{name}.json"
        model = getattr(kb.models, name)
        if not isinstance(model, LinearTextModel):
            found.append(Problem(path, None, None, "no model loaded; run `python -m bot train`"))
        elif model.inputs_sha256 != inputs_sha256(build(kb, cases), params[name]):
            message = (
                "stale model: trained on other examples or parameters than the current "
                "content; run `python -m bot train`"
            )
            found.append(Problem(path, None, None, message))
    return found
