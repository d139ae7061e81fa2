"""Mechanics of bot/core/learned.py on a tiny model written in the test (no content, no sklearn)."""

from __future__ import annotations

import gc
import json
import math
from pathlib import Path

import pytest

from bot.core.errors import ContentError
from bot.core.learned import LinearTextModel, char_wb_ngrams, escalation, word_ngrams
from bot.core.learned_format import FORMAT, dumps

LEVELS = {"bleeding": "emergency", "fainting": "emergency", "pregnancy": "referral"}
ORDER = ("emergency", "referral")
CLASSES = ("bleeding", "fainting", "ordinary", "pregnancy")


def tiny_model(tmp_path: Path) -> Path:
    """Write a three-term model: 'ab' (char) pushes bleeding, 'hi' (word) pushes ordinary."""
    document = {
        "format": FORMAT,
        "name": "safety",
        "classes": list(CLASSES),
        "inputs_sha256": "0" * 64,
        "params": {},
        "intercepts": [0.5, 0.0, 1.0, -0.5],
        "vectorizers": [
            {
                "analyzer": "char_wb",
                "ngram_range": [2, 2],
                "terms": [" a", "ab"],
                "idf": [1.0, 2.0],
            },
            {"analyzer": "word", "ngram_range": [1, 1], "terms": ["hi"], "idf": [1.5]},
        ],
        "coefficients": {"classes": [[], [0], [2]], "values": [[], [3.0], [2.0]]},
    }
    path = tmp_path / "safety.json"
    path.write_text(dumps(document), encoding="utf-8")
    return path


def softmax(scores: list[float]) -> tuple[float, ...]:
    exps = [math.exp(s) for s in scores]
    return tuple(e / sum(exps) for e in exps)


def test_an_empty_message_gets_the_softmax_of_the_intercepts(tmp_path: Path) -> None:
    model = LinearTextModel.from_file(tiny_model(tmp_path))
    assert model.probabilities("") == pytest.approx(softmax([0.5, 0.0, 1.0, -0.5]))


def test_one_known_char_ngram_adds_its_coefficient_over_the_norm(tmp_path: Path) -> None:
    # "ab" -> " a" (idf 1), "ab" (idf 2), "b " (unknown): norm sqrt(1 + 4), weight of ab 2/sqrt 5.
    model = LinearTextModel.from_file(tiny_model(tmp_path))
    expected = [0.5 + 3.0 * 2.0 / math.sqrt(5.0), 0.0, 1.0, -0.5]
    assert model.scores("ab") == pytest.approx(expected)


def test_a_repeated_word_counts_with_sublinear_tf_and_is_normalised_alone(tmp_path: Path) -> None:
    # The word block holds one feature: whatever its count, its l2-normalised weight is 1.
    model = LinearTextModel.from_file(tiny_model(tmp_path))
    assert model.scores("hi hi hi") == pytest.approx([0.5, 0.0, 1.0 + 2.0, -0.5])


def test_ranked_puts_the_most_probable_class_first(tmp_path: Path) -> None:
    model = LinearTextModel.from_file(tiny_model(tmp_path))
    assert [c for c, _ in model.ranked("ab")][:2] == ["bleeding", "ordinary"]


def test_loading_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    path = tiny_model(tmp_path)
    assert gc.isenabled()
    LinearTextModel.from_file(path)
    assert gc.isenabled()
    gc.disable()
    try:
        LinearTextModel.from_file(path)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_char_wb_pads_each_word_and_keeps_a_short_word_whole() -> None:
    assert char_wb_ngrams("ab  c", 2, 3) == [" a", "ab", "b ", " ab", "ab ", " c", "c ", " c "]
    assert char_wb_ngrams("a", 4, 5) == [" a "]


def test_word_ngrams_drop_one_letter_tokens_and_join_neighbours() -> None:
    assert word_ngrams("i am so ok", 1, 2) == ["am", "so", "ok", "am so", "so ok"]


def test_escalation_names_the_level_whose_rules_together_reach_the_bar() -> None:
    # Neither emergency rule alone reaches 0.6, together they do: emergency, best rule.
    found = escalation(CLASSES, (0.35, 0.3, 0.25, 0.1), LEVELS, ORDER, 0.6)
    assert found == ("emergency", "bleeding")


def test_escalation_puts_emergencies_before_a_more_probable_referral() -> None:
    found = escalation(CLASSES, (0.5, 0.0, 0.0, 0.5), LEVELS, ORDER, 0.5)
    assert found == ("emergency", "bleeding")


def test_escalation_is_none_when_no_level_reaches_the_bar() -> None:
    assert escalation(CLASSES, (0.2, 0.2, 0.4, 0.2), LEVELS, ORDER, 0.6) is None


def test_a_document_with_an_unknown_key_is_refused(tmp_path: Path) -> None:
    path = tiny_model(tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["extra"] = 1
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ContentError, match="unknown keys \\['extra'\\]"):
        LinearTextModel.from_file(path)
