"""The shipped model files load with the content, immutable; broken ones are refused by name.

Each broken-file case copies content/ and spoils one model file in one way; the loader must
raise one ContentError naming that file and what is wrong with it.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.core import DEFAULT_CONTENT_DIR, ContentError, KnowledgeBase, load_knowledge_base
from bot.core.learned import MODELS_DIR, OFF_TOPIC, ORDINARY


def test_both_models_load_with_the_knowledge_base(kb: KnowledgeBase) -> None:
    assert kb.models.safety is not None
    assert kb.models.questions is not None
    assert set(kb.models.safety.classes) == {ORDINARY, *(r.id for r in kb.safety)}
    assert set(kb.models.questions.classes) == {OFF_TOPIC, *(i.id for i in kb.matchable)}


def test_a_loaded_model_cannot_be_changed(kb: KnowledgeBase) -> None:
    model = kb.models.safety
    assert model is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.classes = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        model.params["C"] = 0  # type: ignore[index]


def test_the_safety_model_ranks_a_plain_emergency_under_an_emergency_rule(
    kb: KnowledgeBase,
) -> None:
    model = kb.models.safety
    assert model is not None
    levels = {r.id: r.level for r in kb.safety}
    best, _ = model.ranked("i cant breathe and my throat is closing")[0]
    assert levels.get(best) == "emergency"
    assert model.ranked("which foods contain glutamine")[0][0] == ORDINARY


def spoil(tmp_path: Path, name: str, change: Callable[[dict[str, Any]], object]) -> Path:
    """Copy content/, apply `change` to model `name`'s document, and return the copy."""
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root)
    path = root / MODELS_DIR / f"{name}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document), encoding="utf-8")
    return root


def first_row(document: dict[str, Any]) -> int:
    """Return the number of the first feature that has coefficients."""
    return next(i for i, row in enumerate(document["coefficients"]["classes"]) if row)


SPOILED: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    "a missing key": (lambda d: d.pop("intercepts"), "missing keys ['intercepts']"),
    "another format": (lambda d: d.update(format=2), "'format' must be 1"),
    "one intercept short": (lambda d: d["intercepts"].pop(), "one value per class"),
    "a class named twice": (lambda d: d["classes"].append(d["classes"][0]), "holds a value"),
    "an unknown analyzer": (
        lambda d: d["vectorizers"][0].update(analyzer="char"),
        "vectorizers[0].analyzer must be one of char_wb, word",
    ),
    "a reversed n-gram range": (
        lambda d: d["vectorizers"][1].update(ngram_range=[2, 1]),
        "vectorizers[1].ngram_range must be [low, high]",
    ),
    "an idf short": (lambda d: d["vectorizers"][0]["idf"].pop(), "one positive number per term"),
    "a zero idf": (lambda d: d["vectorizers"][0]["idf"].__setitem__(0, 0), "positive number"),
    "a class number out of range": (
        lambda d: d["coefficients"]["classes"][first_row(d)].__setitem__(0, 99),
        "distinct class numbers",
    ),
    "a value that is not a number": (
        lambda d: d["coefficients"]["values"][first_row(d)].__setitem__(0, True),
        "'coefficients.values' must hold finite numbers",
    ),
    "a row missing": (
        lambda d: d["coefficients"]["values"].pop(),
        "one row per feature",
    ),
    "a term that is not text": (
        lambda d: d["vectorizers"][1]["terms"].__setitem__(0, 7),
        "must hold non-empty strings",
    ),
}


@pytest.mark.parametrize("mistake", sorted(SPOILED))
def test_a_malformed_model_file_is_refused_naming_the_file(tmp_path: Path, mistake: str) -> None:
    change, reason = SPOILED[mistake]
    root = spoil(tmp_path, "safety", change)
    with pytest.raises(ContentError) as caught:
        load_knowledge_base(root)
    (problem,) = caught.value.problems
    assert problem.path == root / MODELS_DIR / "safety.json"
    assert "malformed model file" in problem.message
    assert reason in problem.message


def test_a_model_file_that_is_not_json_is_refused_with_its_line(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root)
    path = root / MODELS_DIR / "questions.json"
    path.write_text('{\n"classes": [\n', encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_knowledge_base(root)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (path, 3)
    assert "invalid JSON" in problem.message


def test_a_missing_model_file_says_to_train(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root)
    (root / MODELS_DIR / "questions.json").unlink()
    with pytest.raises(ContentError) as caught:
        load_knowledge_base(root)
    (problem,) = caught.value.problems
    assert problem.path == root / MODELS_DIR / "questions.json"
    assert "python -m bot train" in problem.message


def test_a_model_with_a_class_the_content_lacks_is_refused(tmp_path: Path) -> None:
    root = spoil(tmp_path, "safety", lambda d: d["classes"].__setitem__(0, "no_such_rule"))
    with pytest.raises(ContentError) as caught:
        load_knowledge_base(root)
    (problem,) = caught.value.problems
    assert "unknown classes ['no_such_rule']" in problem.message
    assert "python -m bot train" in problem.message


def test_a_model_file_holding_another_model_is_refused(tmp_path: Path) -> None:
    root = spoil(tmp_path, "questions", lambda d: d.update(name="safety"))
    with pytest.raises(ContentError) as caught:
        load_knowledge_base(root)
    messages = [p.message for p in caught.value.problems if p.path.name == "questions.json"]
    assert any("holds model 'safety'" in m for m in messages)
