"""The labelled sets in content/training/ are validated like the rest of the content.

Each case copies content/ and makes one edit an author might make by mistake; `load_training`
must name the file, the line and (where there is one) the label. Lines are found by searching
the edited file. The last tests run `python -m bot check` for real: a model trained on other
content, or a broken training file, fails it with a message that says what to do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core import DEFAULT_CONTENT_DIR, ContentError, KnowledgeBase, load_knowledge_base
from bot.core.learned import MODELS_DIR
from bot.core.training_data import TRAINING_DIR, load_training
from tests.unit.test_cli import ROOT, run_cli

SAFETY = "safety_cases.yaml"
QUESTIONS = "questions_dev.yaml"
KILL = '- {q: "i want to kill myself", expect: safety, rule: self_harm}'
ANSWER = '- {q: "what is l-glutamine", expect: answer, entry: what_is_glutamine, group: basics}'
TIMING = '- {q: "best time of day to take it?", expect: no_answer, group: uncovered, entry: timing}'
HI = '- {q: "hi", expect: smalltalk, group: smalltalk}'


def copy_content(tmp_path: Path) -> Path:
    """Copy the shipped content/ and return the copy."""
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root)
    return root


def edit(root: Path, name: str, old: str, new: str) -> tuple[Path, int]:
    """Replace `old` (a whole line) in a training file; return the file and the line."""
    path = root / TRAINING_DIR / name
    lines = path.read_text(encoding="utf-8").splitlines()
    assert old in lines, f"{old!r} is not in {name}: update this test to the content"
    number = lines.index(old)
    lines[number] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, number + 1


def problems_of(root: Path) -> list[tuple[Path, int | None, str | None, str]]:
    """Return (path, line, entry, message) of every problem load_training raises."""
    kb = load_knowledge_base(root)
    with pytest.raises(ContentError) as caught:
        load_training(kb, root)
    return [(p.path, p.line, p.entry, p.message) for p in caught.value.problems]


def test_the_shipped_training_files_are_valid(kb: KnowledgeBase) -> None:
    cases = load_training(kb, DEFAULT_CONTENT_DIR)
    assert len(cases) > 2000
    assert {c.path.name.split("_")[0] for c in cases} == {"safety", "questions"}


MISTAKES = {
    "an unknown field": (SAFETY, KILL, KILL.replace("rule:", "rul:"), None, "unknown field 'rul'"),
    "an unknown rule": (
        SAFETY,
        KILL,
        KILL.replace("self_harm", "self_harmm"),
        "self_harmm",
        "a safety case needs 'rule'",
    ),
    "a safety case without a rule": (
        SAFETY,
        KILL,
        KILL.replace(", rule: self_harm", ""),
        None,
        "a safety case needs 'rule'",
    ),
    "an unknown expectation": (
        SAFETY,
        KILL,
        KILL.replace("expect: safety", "expect: answer"),
        None,
        "'expect' must be one of",
    ),
    "an answer naming no entry": (
        QUESTIONS,
        ANSWER,
        ANSWER.replace("what_is_glutamine", "what_is_glutamin"),
        "what_is_glutamin",
        "an answer case needs 'entry'",
    ),
    "a no-answer case naming an entry that is not an uncovered topic": (
        QUESTIONS,
        TIMING,
        TIMING.replace("entry: timing", "entry: dosage"),
        "dosage",
        "'entry' of a no_answer case must be one of",
    ),
    "a rule on a small-talk case": (
        QUESTIONS,
        HI,
        HI.replace("}", ", rule: self_harm}"),
        "self_harm",
        "only a safety case names a 'rule'",
    ),
    "an entry on a small-talk case": (
        QUESTIONS,
        HI,
        HI.replace("}", ", entry: dosage}"),
        "dosage",
        "only answer and no_answer cases name an 'entry'",
    ),
    "a rule that is a number": (
        SAFETY,
        KILL,
        KILL.replace("self_harm", "5"),
        None,
        "'group', 'entry' and 'rule' must be non-empty strings",
    ),
    "an emergency group with a referral rule": (
        "questions_tune.yaml",
        '- {q: "i want to kill myself", expect: safety, group: emergency, rule: self_harm}',
        '- {q: "i want to kill myself", expect: safety, group: emergency, rule: pregnancy}',
        "pregnancy",
        "rule 'pregnancy' is not of level 'emergency'",
    ),
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_a_mistake_in_a_case_is_reported_with_file_line_and_label(
    tmp_path: Path, mistake: str
) -> None:
    name, old, new, entry, message = MISTAKES[mistake]
    root = copy_content(tmp_path)
    path, line = edit(root, name, old, new)
    found = problems_of(root)
    assert [(p, n, e) for p, n, e, m in found if message in m] == [(path, line, entry)]


def test_a_question_given_twice_in_one_file_is_reported_at_the_second(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path, line = edit(root, SAFETY, KILL, KILL + "\n" + KILL.replace("i want", "I  want"))
    found = problems_of(root)
    assert [(p, n) for p, n, _, m in found if "given twice" in m] == [(path, line + 1)]


def test_a_question_labelled_two_ways_in_two_files_is_reported(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    tune = '- {q: "i want to kill myself", expect: safety, group: emergency, rule: self_harm}'
    path, line = edit(root, "questions_tune.yaml", tune, tune.replace("self_harm", "overdose"))
    found = problems_of(root)
    clashes = [(p, n, m) for p, n, _, m in found if "labelled otherwise" in m]
    assert [(p, n) for p, n, _ in clashes] == [(path, line)]
    assert "questions_dev.yaml" in clashes[0][2]


def test_a_training_file_of_no_known_kind_is_reported(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    stray = root / TRAINING_DIR / "extra.yaml"
    stray.write_text("cases: []\n", encoding="utf-8")
    assert [(p, m) for p, _, _, m in problems_of(root)] == [
        (stray, "a training file is named safety_*.yaml or questions_*.yaml")
    ]


def test_malformed_floors_are_reported_on_their_line(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    old = "floors: {answer: 0.93, no_answer: 0.85, safety: 1.0, smalltalk: 0.9}"
    path, line = edit(root, QUESTIONS, old, old.replace("0.93", "93"))
    assert [(p, n) for p, n, _, m in problems_of(root) if "floors" in m] == [(path, line)]


def test_check_fails_on_a_stale_model_and_says_to_retrain(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    near_miss = '- {q: "what does glutamine do for the kidneys", expect: not_safety}'
    edit(root, SAFETY, near_miss, near_miss.replace("kidneys", "kidneys today"))
    result = run_cli("check", content_dir=root)
    assert result.returncode == 1
    assert f"{root / MODELS_DIR / 'safety.json'}: stale model" in result.stderr
    assert "run `python -m bot train`" in result.stderr
    assert "questions.json" not in result.stderr  # its examples did not change


def test_check_fails_on_a_broken_training_file_naming_its_line(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path, line = edit(root, SAFETY, KILL, KILL.replace("rule:", "rul:"))
    result = run_cli("check", content_dir=root)
    assert result.returncode == 1
    assert f"{path}:{line}: unknown field 'rul'" in result.stderr


def test_train_rewrites_the_stale_model_and_check_then_passes(tmp_path: Path) -> None:
    """The author's loop: edit a training file, check fails, train, check passes."""
    root = copy_content(tmp_path)
    near_miss = '- {q: "what does glutamine do for the kidneys", expect: not_safety}'
    edit(root, SAFETY, near_miss, near_miss.replace("kidneys", "kidneys today"))
    safety = root / MODELS_DIR / "safety.json"
    before = safety.read_bytes()
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "", "CONTENT_DIR": str(root)}
    trained = subprocess.run(
        [sys.executable, "-m", "bot", "train"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # two models on a busy 2-core machine
        check=False,
    )
    assert trained.returncode == 0, trained.stderr
    assert f"wrote: {safety}" in trained.stdout
    assert safety.read_bytes() != before
    result = run_cli("check", content_dir=root)
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "content OK")
