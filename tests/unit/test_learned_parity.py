"""The pure-Python scorer gives scikit-learn's own probabilities (needs the dev extra).

Each model is trained here with scikit-learn on a fixed sample of the real content (every
third example, to keep the test short), exported with the shipped exporter, loaded back
with bot/core/learned.py and compared with `predict_proba` of the same fitted pipeline.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import KnowledgeBase, load_knowledge_base
from bot.core.learned import LinearTextModel
from bot.core.learned_format import dumps
from bot.core.learned_inputs import EXAMPLES, Example
from bot.core.text import MAX_QUESTION_CHARS, normalize
from bot.core.training_data import load_training
from bot.testing.hostile_inputs import NOISY
from bot.train.fit import Fitted, export, fit
from bot.train.params import PARAMS
from tests.strategies import characters

TOLERANCE = 1e-9
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def sample(kb: KnowledgeBase, name: str) -> tuple[Example, ...]:
    """Return every third example of the model's real training examples."""
    content = Path(__file__).resolve().parents[2] / "content"
    return EXAMPLES[name](kb, load_training(kb, content))[::3]


def train(examples: tuple[Example, ...], name: str) -> Fitted:
    """Fit the shipped pipeline with the shipped parameters."""
    return fit([e.text for e in examples], [e.label for e in examples], PARAMS[name])


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def pair(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Return (name, examples, fitted scikit-learn pipeline, the same model loaded from JSON)."""
    name = str(request.param)
    examples = sample(load_knowledge_base(), name)
    fitted = train(examples, name)
    path = tmp_path_factory.mktemp("models") / f"{name}.json"
    path.write_text(dumps(export(fitted, name, "0" * 64, PARAMS[name])), encoding="utf-8")
    return name, examples, fitted, LinearTextModel.from_file(path)


def differences(fitted: Fitted, model: LinearTextModel, texts: list[str]) -> float:
    """Return the largest gap between scikit-learn's and our probabilities over `texts`."""
    expected = fitted.predict_proba(texts)
    actual = np.array([model.probabilities(t) for t in texts])
    return float(np.max(np.abs(expected - actual)))


def test_the_loaded_model_has_scikit_learns_classes_in_its_order(pair) -> None:
    _, _, fitted, model = pair
    assert model.classes == fitted.classes


def test_probabilities_match_on_hundreds_of_real_and_edge_messages(pair) -> None:
    """Training texts, raw questions, empty, one character, repeated words, 4096 characters."""
    _, examples, fitted, model = pair
    texts = [e.text for e in examples[:300]]
    texts += [" ".join(t.split()[::-1]) for t in texts[:100]]  # known n-grams, new order
    texts += [normalize(t) for group in NOISY.values() for t in group]
    texts += ["", "a", "x", " ", "glutamine " * 50, "ab ab ab abab", "\u00e9\u0301"]
    long = " ".join(e.text for e in examples)[:MAX_QUESTION_CHARS]
    texts += [long, "a" * MAX_QUESTION_CHARS, ("lo " * 2000)[:MAX_QUESTION_CHARS]]
    assert len(texts) > 400
    assert differences(fitted, model, texts) <= TOLERANCE


@PROPERTY
@given(st.text(characters(), max_size=300))
def test_probabilities_match_on_any_unicode_raw_or_normalised(pair, text: str) -> None:
    """Characters of every Unicode category, each category equally likely."""
    _, _, fitted, model = pair
    assert differences(fitted, model, [text, normalize(text)]) <= TOLERANCE


def test_the_probabilities_of_a_message_sum_to_one(pair) -> None:
    _, examples, _, model = pair
    for example in examples[:50]:
        assert abs(sum(model.probabilities(example.text)) - 1.0) < 1e-12


def test_training_twice_on_the_same_examples_writes_the_same_bytes(pair) -> None:
    name, examples, fitted, _ = pair
    again = train(examples, name)
    first = dumps(export(fitted, name, "0" * 64, PARAMS[name]))
    assert dumps(export(again, name, "0" * 64, PARAMS[name])) == first
